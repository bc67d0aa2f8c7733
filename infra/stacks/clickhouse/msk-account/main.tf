locals {
  stack = "clickhouse-msk"
}

data "aws_region" "current" {}

module "kms" {
  source = "../../../modules/kms-key"

  name                   = "${var.name}-clickhouse-msk"
  service_principals     = ["logs.${data.aws_region.current.name}.amazonaws.com"]
  decrypt_principal_arns = var.connect_role_arns
}

module "network" {
  source = "../../../modules/network"

  name       = "${var.name}-msk"
  cidr_block = var.vpc_cidr
  azs        = var.azs
}

module "artifacts" {
  source = "../../../modules/artifact-bucket"

  bucket_name = var.artifact_bucket_name
  kms_key_arn = module.kms.key_arn
}

# SCRAM credentials of the Connect workers in account B: generated ephemerally, stored write-only, readable
# only by the named Connect role of account B. Terraform state never holds the password.
module "connect_scram" {
  source = "../../../modules/scram-user"

  name                  = "${var.name}_connect"
  username              = "sluice-connect"
  kms_key_arn           = module.kms.key_arn
  reader_principal_arns = var.connect_role_arns
}

module "msk" {
  source = "../../../modules/msk"

  name                   = "${var.name}-clickhouse"
  kafka_version          = var.kafka_version
  broker_instance_type   = var.broker_instance_type
  number_of_broker_nodes = var.broker_count
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  kms_key_arn            = module.kms.key_arn

  client_authentication = { iam = true, scram = true }
  scram_secret_arns     = [module.connect_scram.secret_arn]

  # Account B's Connect VPC reaches the brokers through the Transit Gateway; only that CIDR, only the SCRAM port
  # (and IAM for the local producers).
  allowed_client_cidrs           = { connect_vpc = var.connect_vpc_cidr }
  allowed_client_security_groups = var.enable_producers ? { producers = module.producers[0].security_group_id } : {}

  depends_on = [module.connect_scram]
}

module "tgw" {
  source = "../../../modules/transit-gateway"

  name                   = "${var.name}-clickhouse"
  create_transit_gateway = var.create_transit_gateway
  transit_gateway_id     = var.transit_gateway_id
  share_with_account_ids = var.create_transit_gateway ? [var.connect_account_id] : []
  accept_attachment_ids  = var.accept_attachment_ids
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  route_table_ids        = module.network.private_route_table_ids
  destination_cidrs      = { connect_vpc = var.connect_vpc_cidr }
}

module "producers" {
  source = "../../../modules/producer-fleet"
  count  = var.enable_producers ? 1 : 0

  name                        = "${var.name}-clickhouse"
  vpc_id                      = module.network.vpc_id
  subnet_ids                  = module.network.private_subnet_ids
  kms_key_arn                 = module.kms.key_arn
  artifact_bucket_name        = module.artifacts.bucket_name
  producer_jar_s3_key         = var.producer_jar_s3_key
  bootstrap_servers           = module.msk.bootstrap_brokers_sasl_iam
  kafka_auth                  = "IAM"
  kafka_port                  = 9098
  msk_cluster_arn             = module.msk.cluster_arn
  kafka_security_group_id     = module.msk.security_group_id
  endpoints_security_group_id = module.network.endpoints_security_group_id
  s3_prefix_list_id           = module.network.s3_prefix_list_id
  topic                       = var.topic
  extra_producer_args         = ["--create-topic", "--partitions", "6", "--replication-factor", tostring(min(3, var.broker_count))]
}
