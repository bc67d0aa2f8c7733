# Debezium on MSK Connect capturing two tables, with every optional input set: an existing security group, a pinned
# plugin version, a custom RDS CA truststore key, heartbeats and autoscaling capacity.
provider "aws" {
  region = "eu-west-1"
}

module "debezium" {
  source = "../../"

  name                        = "sluice-cdc-complete"
  msk_cluster_arn             = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice-cdc/11111111-2222-3333-4444-555555555555-1"
  bootstrap_servers           = "b-1.sluice-cdc.abc.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.sluice-cdc.abc.c2.kafka.eu-west-1.amazonaws.com:9098"
  vpc_id                      = "vpc-0123456789abcdef0"
  subnet_ids                  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  security_group_id           = "sg-0123456789abcdef6"
  kafka_security_group_id     = "sg-0123456789abcdef0"
  endpoints_security_group_id = "sg-0123456789abcdef1"
  database_security_group_id  = "sg-0123456789abcdef2"
  database_hostname           = "sluice-cdc.cluster-abc.eu-west-1.rds.amazonaws.com"
  database_port               = 3306
  database_secret_arn         = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice-cdc/debezium-AbCdEf"
  database_truststore_s3_key  = "rds-ca/eu-west-1-bundle.jks"
  database_include_list       = ["inventory"]
  table_include_list          = ["inventory.customers", "inventory.orders"]
  topic_prefix                = "sluice"
  database_server_id          = 184055
  topic_replication_factor    = 3
  topic_partitions            = 6
  plugin_bucket_arn           = "arn:aws:s3:::sluice-artifacts-example"
  plugin_s3_key               = "debezium/3.3.0.Final/debezium-mysql-plugin.zip"
  plugin_object_version       = "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"
  kms_key_arn                 = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  extra_connector_configuration = {
    "heartbeat.interval.ms" = "10000"
    "max.batch.size"        = "4096"
  }
  capacity = {
    mcu_count        = 1
    min_worker_count = 1
    max_worker_count = 2
  }
  tags = { Project = "sluice", Example = "complete" }
}

output "connector_arn" {
  value = module.debezium.connector_arn
}
