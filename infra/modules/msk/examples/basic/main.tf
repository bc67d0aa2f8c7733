# A two-broker MSK cluster with IAM auth over TLS, reachable from one client security group.
provider "aws" {
  region = "eu-west-1"
}

module "kms" {
  source             = "../../../kms-key"
  name               = "sluice-msk-example"
  service_principals = ["logs.eu-west-1.amazonaws.com"]
}

module "network" {
  source     = "../../../network"
  name       = "sluice-msk-example"
  cidr_block = "10.40.0.0/16"
  azs        = ["eu-west-1a", "eu-west-1b"]
}

resource "aws_security_group" "client" {
  name        = "sluice-msk-example-client"
  description = "Example Kafka client"
  vpc_id      = module.network.vpc_id
}

module "msk" {
  source = "../../"

  name                 = "sluice-example"
  vpc_id               = module.network.vpc_id
  subnet_ids           = module.network.private_subnet_ids
  kms_key_arn          = module.kms.key_arn
  broker_instance_type = "kafka.m7g.large"

  allowed_client_security_groups = { client = aws_security_group.client.id }
}

output "bootstrap_brokers_sasl_iam" {
  value = module.msk.bootstrap_brokers_sasl_iam
}
