# The Sluice ClickHouse sink on MSK Connect, reading the ClickHouse password through the config provider.
provider "aws" {
  region = "eu-west-1"
}

locals {
  clickhouse_secret_arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice/clickhouse-AbCdEf"
}

module "sink" {
  source = "../../"

  name                        = "sluice-clickhouse-sink"
  msk_cluster_arn             = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
  bootstrap_servers           = "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9098"
  vpc_id                      = "vpc-0123456789abcdef0"
  subnet_ids                  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  kafka_security_group_id     = "sg-0123456789abcdef0"
  endpoints_security_group_id = "sg-0123456789abcdef1"
  extra_egress                = { clickhouse = { port = 8443, security_group_id = "sg-0123456789abcdef2" } }
  plugin_bucket_arn           = "arn:aws:s3:::sluice-artifacts-example"
  plugin_s3_key               = "sluice-clickhouse-sink/0.1.0/sluice-clickhouse-sink-0.1.0-plugin.zip"
  kms_key_arn                 = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  secret_arns                 = [local.clickhouse_secret_arn]
  read_topics                 = ["sensor-readings"]
  consumer_groups             = ["connect-sluice-clickhouse-sink"]

  connector_configuration = {
    "connector.class"     = "io.sluice.sink.clickhouse.ClickHouseSinkConnector"
    "tasks.max"           = "2"
    "topics"              = "sensor-readings"
    "key.converter"       = "org.apache.kafka.connect.converters.ByteArrayConverter" # the sink reads no keys
    "clickhouse.url"      = "https://abc123.eu-west-1.aws.clickhouse.cloud:8443"
    "clickhouse.user"     = "$${secretsmanager:${local.clickhouse_secret_arn}:username}"
    "clickhouse.password" = "$${secretsmanager:${local.clickhouse_secret_arn}:password}"
    "clickhouse.database" = "sluice"
  }
}

output "connector_arn" {
  value = module.sink.connector_arn
}
