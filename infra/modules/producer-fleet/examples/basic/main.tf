# Producers writing to an MSK cluster with IAM auth, in a private VPC with no internet path.
provider "aws" {
  region = "eu-west-1"
}

module "kms" {
  source             = "../../../kms-key"
  name               = "sluice-producer-example"
  service_principals = ["logs.eu-west-1.amazonaws.com"]
}

module "network" {
  source     = "../../../network"
  name       = "sluice-producer-example"
  cidr_block = "10.21.0.0/16"
  azs        = ["eu-west-1a", "eu-west-1b"]
}

module "producers" {
  source = "../../"

  name                        = "sluice-example"
  vpc_id                      = module.network.vpc_id
  subnet_ids                  = module.network.private_subnet_ids
  kms_key_arn                 = module.kms.key_arn
  artifact_bucket_name        = "sluice-artifacts-example"
  producer_jar_s3_key         = "sluice-producer/0.1.0/sluice-producer-0.1.0-all.jar"
  bootstrap_servers           = "b-1.example.abc.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.example.abc.c2.kafka.eu-west-1.amazonaws.com:9098"
  msk_cluster_arn             = "arn:aws:kafka:eu-west-1:111111111111:cluster/example/11111111-2222-3333-4444-555555555555-1"
  kafka_security_group_id     = "sg-0123456789abcdef0"
  endpoints_security_group_id = module.network.endpoints_security_group_id
  s3_prefix_list_id           = module.network.s3_prefix_list_id
}

output "autoscaling_group_name" {
  value = module.producers.autoscaling_group_name
}
