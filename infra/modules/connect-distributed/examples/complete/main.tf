# Three Connect workers on the same account's MSK with IAM auth, REST basic authentication, a ClickHouse sink and
# every optional input set.
provider "aws" {
  region = "eu-west-1"
}

locals {
  clickhouse_secret_arn = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:sluice/clickhouse-AbCdEf"
  cluster_arn           = "arn:aws:kafka:eu-west-1:222222222222:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
}

module "connect" {
  source = "../../"

  name                              = "sluice-complete"
  vpc_id                            = "vpc-0123456789abcdef0"
  subnet_ids                        = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
  instance_type                     = "m7i.large"
  min_size                          = 3
  max_size                          = 4
  desired_capacity                  = 3
  ami_ssm_parameter                 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
  java_package                      = "java-21-amazon-corretto-headless"
  root_volume_size                  = 40
  kms_key_arn                       = "arn:aws:kms:eu-west-1:222222222222:key/11111111-2222-3333-4444-555555555555"
  additional_kms_key_arns           = ["arn:aws:kms:eu-west-1:333333333333:key/99999999-2222-3333-4444-555555555555"]
  artifact_bucket_name              = "sluice-artifacts-complete"
  kafka_distribution_s3_key         = "kafka/kafka_2.13-4.1.2.tgz"
  plugin_s3_keys                    = ["sluice-clickhouse-sink/0.1.0/sluice-clickhouse-sink-0.1.0-plugin.zip", "config-providers/msk-config-providers.zip"]
  bootstrap_servers                 = "b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com:9098"
  kafka_auth                        = "IAM"
  msk_cluster_arn                   = local.cluster_arn
  kafka_port                        = 9098
  kafka_destination                 = { security_group_id = "sg-0123456789abcdef3" }
  sink_destinations                 = { clickhouse = { port = 8443, security_group_id = "sg-0123456789abcdef2" } }
  endpoints_security_group_id       = "sg-0123456789abcdef1"
  s3_prefix_list_id                 = "pl-0123456789abcdef0"
  internal_topic_replication_factor = 3
  config_provider_class             = "com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider"
  secret_arns                       = [local.clickhouse_secret_arn]
  rest_basic_auth_secret_arn        = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:sluice/connect-rest-AbCdEf"
  heap_opts                         = "-Xms2g -Xmx4g"
  log_retention_days                = 90
  tags                              = { Project = "sluice", Example = "complete" }

  connectors = {
    sluice-clickhouse-sink = {
      "connector.class"     = "io.sluice.sink.clickhouse.ClickHouseSinkConnector"
      "tasks.max"           = "3"
      "topics"              = "sensor-readings"
      "key.converter"       = "org.apache.kafka.connect.converters.ByteArrayConverter" # the sink reads no keys
      "clickhouse.url"      = "https://abc123.eu-west-1.aws.clickhouse.cloud:8443"
      "clickhouse.user"     = "$${secretsmanager:${local.clickhouse_secret_arn}:username}"
      "clickhouse.password" = "$${secretsmanager:${local.clickhouse_secret_arn}:password}"
      "clickhouse.database" = "sluice"
    }
  }
}

output "group_id" {
  value = module.connect.group_id
}
