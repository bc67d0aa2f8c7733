# SCRAM producers (for example reaching MSK in another account over a Transit Gateway) simulating a device range
# with a fixed seed; every optional input is set.
provider "aws" {
  region = "eu-west-1"
}

module "producers" {
  source = "../../"

  name                        = "sluice-complete"
  vpc_id                      = "vpc-0123456789abcdef0"
  subnet_ids                  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  instance_type               = "t3.medium"
  min_size                    = 2
  max_size                    = 4
  desired_capacity            = 2
  ami_ssm_parameter           = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
  java_package                = "java-21-amazon-corretto-headless"
  root_volume_size            = 30
  kms_key_arn                 = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  artifact_bucket_name        = "sluice-artifacts-complete"
  producer_jar_s3_key         = "sluice-producer/0.1.0/sluice-producer-0.1.0-all.jar"
  bootstrap_servers           = "b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:9096,b-2.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:9096"
  kafka_auth                  = "SCRAM"
  scram_secret_arn            = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:AmazonMSK_sluice_producer-AbCdEf"
  msk_cluster_arn             = null
  kafka_port                  = 9096
  kafka_security_group_id     = "sg-0123456789abcdef3"
  endpoints_security_group_id = "sg-0123456789abcdef1"
  s3_prefix_list_id           = "pl-0123456789abcdef0"
  topic                       = "sensor-readings"
  devices                     = 100
  rate_per_device             = 10
  first_device_id             = 1000
  extra_producer_args         = ["--seed", "42"]
  log_retention_days          = 90
  tags                        = { Project = "sluice", Example = "complete" }
}

output "autoscaling_group_name" {
  value = module.producers.autoscaling_group_name
}
