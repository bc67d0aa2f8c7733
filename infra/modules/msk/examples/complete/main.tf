# Express brokers in three AZs with IAM and SCRAM, clients by security group and by CIDR (a peer VPC behind a
# Transit Gateway), and a broker property override. Every optional input is set (storage inputs are ignored by
# Express brokers; multi-VPC connectivity is shown in the producer-account stack).
provider "aws" {
  region = "eu-west-1"
}

module "msk" {
  source = "../../"

  name                                   = "sluice-complete"
  kafka_version                          = "3.6.0"
  broker_instance_type                   = "express.m7g.large"
  number_of_broker_nodes                 = 3
  vpc_id                                 = "vpc-0123456789abcdef0"
  subnet_ids                             = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
  ebs_volume_size                        = 100
  storage_autoscaling_max_size           = 1000
  storage_autoscaling_target_utilization = 60
  kms_key_arn                            = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  client_authentication = {
    iam             = true
    scram           = true
    multi_vpc_iam   = false
    multi_vpc_scram = true
  }
  enable_multi_vpc_connectivity  = false
  scram_secret_arns              = ["arn:aws:secretsmanager:eu-west-1:111111111111:secret:AmazonMSK_sluice_aggregator-AbCdEf"]
  allowed_client_security_groups = { producers = "sg-0123456789abcdef1" }
  allowed_client_cidrs           = { connect_vpc = "10.60.0.0/16" }
  server_properties              = { "num.partitions" = "12" }
  log_retention_days             = 90
  enhanced_monitoring            = "PER_TOPIC_PER_BROKER"
  tags                           = { Project = "sluice", Example = "complete" }
}

output "bootstrap_brokers_sasl_scram" {
  value = module.msk.bootstrap_brokers_sasl_scram
}
