provider "aws" {
  region = "eu-west-1"
}

module "debezium" {
  source = "../../"

  name                        = "sluice-cdc-example"
  msk_cluster_arn             = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice-cdc/11111111-2222-3333-4444-555555555555-1"
  bootstrap_servers           = "b-1.sluice-cdc.abc.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.sluice-cdc.abc.c2.kafka.eu-west-1.amazonaws.com:9098"
  vpc_id                      = "vpc-0123456789abcdef0"
  subnet_ids                  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  kafka_security_group_id     = "sg-0123456789abcdef0"
  endpoints_security_group_id = "sg-0123456789abcdef1"
  database_security_group_id  = "sg-0123456789abcdef2"
  database_hostname           = "sluice-cdc.cluster-abc.eu-west-1.rds.amazonaws.com"
  database_secret_arn         = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice-cdc/debezium-AbCdEf"
  database_include_list       = ["inventory"]
  topic_prefix                = "sluice"
  plugin_bucket_arn           = "arn:aws:s3:::sluice-artifacts-example"
  plugin_s3_key               = "debezium/3.3.0.Final/debezium-mysql-plugin.zip"
  kms_key_arn                 = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
}

output "connector_arn" {
  value = module.debezium.connector_arn
}
