# The Sluice sink on MSK Connect with every optional input set: an existing security group, a pinned plugin
# object version, worker properties, a truststore copied from S3 by the s3import config provider, a dead-letter
# topic and autoscaling between 2 and 4 workers of 2 MCUs.
provider "aws" {
  region = "eu-west-1"
}

locals {
  clickhouse_secret_arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice/clickhouse-AbCdEf"
}

module "sink" {
  source = "../../"

  name                        = "sluice-clickhouse-sink-complete"
  kafkaconnect_version        = "2.7.1"
  msk_cluster_arn             = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
  bootstrap_servers           = "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9098"
  vpc_id                      = "vpc-0123456789abcdef0"
  subnet_ids                  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  security_group_id           = "sg-0123456789abcdef7"
  kafka_security_group_id     = "sg-0123456789abcdef0"
  endpoints_security_group_id = "sg-0123456789abcdef1"
  extra_egress                = { clickhouse = { port = 8443, security_group_id = "sg-0123456789abcdef2" } }
  plugin_bucket_arn           = "arn:aws:s3:::sluice-artifacts-example"
  plugin_s3_key               = "sluice-clickhouse-sink/0.1.0/sluice-clickhouse-sink-0.1.0-plugin.zip"
  plugin_object_version       = "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"
  worker_properties           = { "value.converter.schemas.enable" = "false" }
  config_provider_class       = "com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider"
  s3_import_object_arns       = ["arn:aws:s3:::sluice-artifacts-example/truststores/clickhouse.jks"]
  s3_import_provider_class    = "com.amazonaws.kafka.config.providers.S3ImportConfigProvider"
  kms_key_arn                 = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  secret_arns                 = [local.clickhouse_secret_arn]
  read_topics                 = ["sensor-readings"]
  write_topics                = ["sensor-readings-dlq"]
  consumer_groups             = ["connect-sluice-clickhouse-sink-complete"]
  capacity = {
    mcu_count                 = 2
    min_worker_count          = 2
    max_worker_count          = 4
    scale_in_cpu_utilization  = 20
    scale_out_cpu_utilization = 75
  }
  log_retention_days = 90
  tags               = { Project = "sluice", Example = "complete" }

  connector_configuration = {
    "connector.class"                   = "io.sluice.sink.clickhouse.ClickHouseSinkConnector"
    "tasks.max"                         = "4"
    "topics"                            = "sensor-readings"
    "key.converter"                     = "org.apache.kafka.connect.converters.ByteArrayConverter" # the sink reads no keys
    "clickhouse.url"                    = "https://abc123.eu-west-1.aws.clickhouse.cloud:8443"
    "clickhouse.user"                   = "$${secretsmanager:${local.clickhouse_secret_arn}:username}"
    "clickhouse.password"               = "$${secretsmanager:${local.clickhouse_secret_arn}:password}"
    "clickhouse.database"               = "sluice"
    "errors.tolerance"                  = "all"
    "errors.deadletterqueue.topic.name" = "sensor-readings-dlq"
  }
}

output "connector_arn" {
  value = module.sink.connector_arn
}
