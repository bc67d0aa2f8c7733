locals {
  stack = "clickhouse-connect"
}

data "aws_region" "current" {}

module "kms" {
  source = "../../../modules/kms-key"

  name               = "${var.name}-clickhouse-connect"
  service_principals = ["logs.${data.aws_region.current.name}.amazonaws.com"]
}

module "network" {
  source = "../../../modules/network"

  name       = "${var.name}-connect"
  cidr_block = var.vpc_cidr
  azs        = var.azs
}

module "artifacts" {
  source = "../../../modules/artifact-bucket"

  bucket_name = var.artifact_bucket_name
  kms_key_arn = module.kms.key_arn
}

module "tgw" {
  source = "../../../modules/transit-gateway"

  name                         = "${var.name}-connect"
  transit_gateway_id           = var.transit_gateway_id
  resource_share_arn_to_accept = var.resource_share_arn
  vpc_id                       = module.network.vpc_id
  subnet_ids                   = module.network.private_subnet_ids
  route_table_ids              = module.network.private_route_table_ids
  destination_cidrs            = { msk_vpc = var.msk_vpc_cidr }
}

# ClickHouse credentials: created empty; the operator stores {"username","password"} once (see infra/README.md).
resource "aws_secretsmanager_secret" "clickhouse" {
  name        = "${var.name}/clickhouse"
  description = "ClickHouse Cloud credentials of the Sluice sink ({\"username\",\"password\"})"
  kms_key_id  = module.kms.key_arn
}

module "clickhouse_endpoint" {
  source = "../../../modules/clickhouse-privatelink"

  name                   = var.name
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  service_name           = var.clickhouse_service_name
  client_security_groups = { connect = module.connect.security_group_id }
}

module "connect" {
  source = "../../../modules/connect-distributed"

  name                              = "${var.name}-connect"
  vpc_id                            = module.network.vpc_id
  subnet_ids                        = module.network.private_subnet_ids
  instance_type                     = var.connect_instance_type
  min_size                          = var.connect_worker_count
  desired_capacity                  = var.connect_worker_count
  max_size                          = var.connect_worker_count + 2
  kms_key_arn                       = module.kms.key_arn
  additional_kms_key_arns           = [var.msk_kms_key_arn]
  artifact_bucket_name              = module.artifacts.bucket_name
  kafka_distribution_s3_key         = var.kafka_distribution_s3_key
  plugin_s3_keys                    = [var.sink_plugin_s3_key, var.config_provider_plugin_s3_key]
  bootstrap_servers                 = var.bootstrap_brokers_sasl_scram
  kafka_auth                        = "SCRAM"
  scram_secret_arn                  = var.connect_scram_secret_arn
  kafka_port                        = 9096
  kafka_destination                 = { cidr = var.msk_vpc_cidr }
  sink_destinations                 = { clickhouse = { port = 8443, security_group_id = module.clickhouse_endpoint.security_group_id } }
  endpoints_security_group_id       = module.network.endpoints_security_group_id
  s3_prefix_list_id                 = module.network.s3_prefix_list_id
  internal_topic_replication_factor = var.internal_topic_replication_factor
  secret_arns                       = [aws_secretsmanager_secret.clickhouse.arn]

  connectors = {
    "${var.name}-clickhouse-sink" = {
      "connector.class"     = "io.sluice.sink.clickhouse.ClickHouseSinkConnector"
      "tasks.max"           = tostring(var.sink_tasks)
      "topics"              = var.topic
      "key.converter"       = "org.apache.kafka.connect.converters.ByteArrayConverter" # the sink reads no keys
      "clickhouse.url"      = var.clickhouse_url
      "clickhouse.user"     = "$${secretsmanager:${aws_secretsmanager_secret.clickhouse.arn}:username}"
      "clickhouse.password" = "$${secretsmanager:${aws_secretsmanager_secret.clickhouse.arn}:password}"
      "clickhouse.database" = var.clickhouse_database
      "table.auto.create"   = "true"
    }
  }
}
