# Two t3.large Connect workers in account B reaching MSK in account A (10.50.0.0/16) over a Transit Gateway,
# and ClickHouse Cloud over PrivateLink.
provider "aws" {
  region = "eu-west-1"
}

locals {
  clickhouse_secret_arn = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:sluice/clickhouse-AbCdEf"
}

module "connect" {
  source = "../../"

  name                              = "sluice-example"
  vpc_id                            = "vpc-0123456789abcdef0"
  subnet_ids                        = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  kms_key_arn                       = "arn:aws:kms:eu-west-1:222222222222:key/11111111-2222-3333-4444-555555555555"
  artifact_bucket_name              = "sluice-artifacts-example"
  kafka_distribution_s3_key         = "kafka/kafka_2.13-4.1.2.tgz"
  plugin_s3_keys                    = ["sluice-clickhouse-sink/0.1.0/sluice-clickhouse-sink-0.1.0-plugin.zip", "config-providers/msk-config-providers.zip"]
  bootstrap_servers                 = "b-1.example.abc.c2.kafka.eu-west-1.amazonaws.com:9096,b-2.example.abc.c2.kafka.eu-west-1.amazonaws.com:9096"
  scram_secret_arn                  = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:sluice/connect-scram-AbCdEf"
  kafka_destination                 = { cidr = "10.50.0.0/16" }
  sink_destinations                 = { clickhouse = { port = 8443, security_group_id = "sg-0123456789abcdef2" } }
  endpoints_security_group_id       = "sg-0123456789abcdef1"
  s3_prefix_list_id                 = "pl-0123456789abcdef0"
  internal_topic_replication_factor = 2
  secret_arns                       = [local.clickhouse_secret_arn]

  connectors = {
    sluice-clickhouse-sink = {
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
}

output "autoscaling_group_name" {
  value = module.connect.autoscaling_group_name
}
