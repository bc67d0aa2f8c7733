locals {
  stack       = "streaming-consumer"
  privatelink = var.connectivity == "privatelink"

  bootstrap_servers = local.privatelink ? module.broker_endpoints[0].bootstrap_servers : module.msk_connection[0].bootstrap_brokers
  broker_sg         = local.privatelink ? module.broker_endpoints[0].security_group_id : module.msk_connection[0].security_group_id
}

data "aws_region" "current" {}

module "kms" {
  source = "../../../modules/kms-key"

  name               = "${var.name}-streaming-consumer"
  service_principals = ["logs.${data.aws_region.current.name}.amazonaws.com"]
}

module "network" {
  source = "../../../modules/network"

  name       = "${var.name}-consumer"
  cidr_block = var.vpc_cidr
  azs        = var.azs
  # Kafka event source pollers in a VPC call Lambda, STS and Secrets Manager.
  interface_endpoints = ["secretsmanager", "kms", "logs", "sts", "lambda", "ssm", "ssmmessages", "ec2messages"]
}

module "artifacts" {
  source = "../../../modules/artifact-bucket"

  bucket_name = var.artifact_bucket_name
  kms_key_arn = module.kms.key_arn
}

# --- option 2: interface endpoint per broker + private hosted zone -----------------------------------------
data "aws_secretsmanager_secret_version" "broker_map" {
  count = local.privatelink ? 1 : 0

  secret_id = var.broker_map_secret_arn
}

module "broker_endpoints" {
  source = "../../../modules/privatelink-broker-consumer"
  count  = local.privatelink ? 1 : 0

  name                           = "${var.name}-consumer"
  vpc_id                         = module.network.vpc_id
  subnet_ids                     = module.network.private_subnet_ids
  broker_map                     = nonsensitive(jsondecode(data.aws_secretsmanager_secret_version.broker_map[0].secret_string)) # endpoint names, not credentials
  allowed_client_security_groups = { aggregator = module.aggregator.poller_security_group_id }
}

# --- option 1: MSK multi-VPC connection ------------------------------------------------------------------
module "msk_connection" {
  source = "../../../modules/msk-multi-vpc-client"
  count  = local.privatelink ? 0 : 1

  name                           = "${var.name}-consumer"
  target_cluster_arn             = var.msk_cluster_arn
  authentication                 = "SASL_SCRAM"
  vpc_id                         = module.network.vpc_id
  subnet_ids                     = module.network.private_subnet_ids
  allowed_client_security_groups = { aggregator = module.aggregator.poller_security_group_id }
}

# --- aggregator ------------------------------------------------------------------------------------------
module "aggregator" {
  source = "../../../modules/aggregator-lambda"

  name                               = "${var.name}-aggregator"
  artifact_bucket_name               = module.artifacts.bucket_name
  lambda_jar_s3_key                  = var.lambda_jar_s3_key
  table_name                         = var.table_name
  table_deletion_protection          = var.table_deletion_protection
  kms_key_arn                        = module.kms.key_arn
  additional_kms_key_arns            = [var.producer_kms_key_arn]
  topic                              = var.topic
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.maximum_batching_window_in_seconds
  starting_position                  = var.starting_position
  aggregation                        = { window = var.window }

  event_source = {
    type                        = "self_managed"
    bootstrap_servers           = local.bootstrap_servers
    secret_arn                  = var.aggregator_scram_secret_arn
    vpc_id                      = module.network.vpc_id
    subnet_ids                  = module.network.private_subnet_ids
    broker_security_group_id    = local.broker_sg
    broker_port                 = local.privatelink ? 9096 : 14001
    broker_port_to              = local.privatelink ? 9096 : 14100
    endpoints_security_group_id = module.network.endpoints_security_group_id
  }
}
