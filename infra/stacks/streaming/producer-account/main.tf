locals {
  stack       = "streaming-producer"
  broker_ids  = [for i in range(var.broker_count) : tostring(i + 1)]
  privatelink = var.connectivity == "privatelink"
}

data "aws_region" "current" {}

module "kms" {
  source = "../../../modules/kms-key"

  name               = "${var.name}-streaming-producer"
  service_principals = ["logs.${data.aws_region.current.name}.amazonaws.com"]
  # The consumer's deploying role reads the broker map; its aggregator role reads the SCRAM secret.
  decrypt_principal_arns = distinct(concat(var.consumer_deployer_role_arns, var.consumer_reader_role_arns))
}

module "network" {
  source = "../../../modules/network"

  name       = "${var.name}-producer"
  cidr_block = var.vpc_cidr
  azs        = var.azs
}

module "artifacts" {
  source = "../../../modules/artifact-bucket"

  bucket_name = var.artifact_bucket_name
  kms_key_arn = module.kms.key_arn
}

# --- SCRAM credentials of the consumer account's aggregator ------------------------------------------------
# Generated ephemerally and written write-only (never in state, plan or outputs); readable only by the named
# aggregator role(s) of the consumer account.
module "aggregator_scram" {
  source = "../../../modules/scram-user"

  name                  = "${var.name}_aggregator"
  username              = "sluice-aggregator"
  kms_key_arn           = module.kms.key_arn
  reader_principal_arns = var.consumer_reader_role_arns
}

# --- MSK ---------------------------------------------------------------------------------------------------
module "msk" {
  source = "../../../modules/msk"

  name                   = "${var.name}-streaming"
  kafka_version          = var.kafka_version
  broker_instance_type   = var.broker_instance_type
  number_of_broker_nodes = var.broker_count
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  kms_key_arn            = module.kms.key_arn

  # Producers (same account) use IAM; the aggregator in the consumer account uses SCRAM (Lambda's
  # self-managed Kafka event source does not support MSK IAM).
  client_authentication = {
    iam             = true
    scram           = true
    multi_vpc_iam   = false
    multi_vpc_scram = true
  }
  enable_multi_vpc_connectivity = !local.privatelink
  scram_secret_arns             = [module.aggregator_scram.secret_arn]

  allowed_client_security_groups = { producers = module.producers.security_group_id }

  depends_on = [module.aggregator_scram]
}

# --- Cross-account connectivity: option 2 (NLB + endpoint service per broker) -------------------------------
data "aws_msk_broker_nodes" "this" {
  count = local.privatelink ? 1 : 0

  cluster_arn = module.msk.cluster_arn
}

module "broker_services" {
  source = "../../../modules/privatelink-broker-provider"
  count  = local.privatelink ? 1 : 0

  name       = var.name
  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.private_subnet_ids
  broker_ids = local.broker_ids
  broker_nodes = { for n in data.aws_msk_broker_nodes.this[0].node_info_list : tostring(n.broker_id) => {
    host = sort(tolist(n.endpoints))[0]
    ip   = n.client_vpc_ip_address
  } }
  broker_port            = module.msk.client_ports["scram"]
  msk_security_group_id  = module.msk.security_group_id
  allowed_principal_arns = var.consumer_deployer_role_arns
  kms_key_arn            = module.kms.key_arn
  broker_map_secret_name = "${var.name}/streaming/broker-map"
}

# --- Cross-account connectivity: option 1 (MSK multi-VPC private connectivity) ------------------------------
module "multi_vpc_owner" {
  source = "../../../modules/msk-multi-vpc-owner"
  count  = local.privatelink ? 0 : 1

  cluster_arn           = module.msk.cluster_arn
  client_principal_arns = distinct(concat(var.consumer_deployer_role_arns, var.consumer_reader_role_arns))
}

# --- Producers ---------------------------------------------------------------------------------------------
module "producers" {
  source = "../../../modules/producer-fleet"

  name                        = "${var.name}-streaming"
  vpc_id                      = module.network.vpc_id
  subnet_ids                  = module.network.private_subnet_ids
  kms_key_arn                 = module.kms.key_arn
  artifact_bucket_name        = module.artifacts.bucket_name
  producer_jar_s3_key         = var.producer_jar_s3_key
  bootstrap_servers           = module.msk.bootstrap_brokers_sasl_iam
  kafka_auth                  = "IAM"
  kafka_port                  = module.msk.client_ports["iam"]
  msk_cluster_arn             = module.msk.cluster_arn
  kafka_security_group_id     = module.msk.security_group_id
  endpoints_security_group_id = module.network.endpoints_security_group_id
  s3_prefix_list_id           = module.network.s3_prefix_list_id
  topic                       = var.topic
  devices                     = var.devices_per_instance
  min_size                    = var.producer_instance_count
  desired_capacity            = var.producer_instance_count
  max_size                    = var.producer_instance_count
  extra_producer_args         = ["--create-topic", "--partitions", tostring(var.topic_partitions), "--replication-factor", tostring(min(3, var.broker_count))]
}
