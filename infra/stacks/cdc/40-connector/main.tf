# Stage 4 of 4: the Debezium MySQL connector on MSK Connect. Run infra/scripts/create-debezium-user.sh first.
locals {
  stack = "cdc-40-connector"
}

module "debezium" {
  source = "../../../modules/cdc-debezium"

  name                        = "${var.name}-debezium"
  msk_cluster_arn             = var.msk_cluster_arn
  bootstrap_servers           = var.bootstrap_brokers_sasl_iam
  vpc_id                      = var.vpc_id
  subnet_ids                  = var.private_subnet_ids
  security_group_id           = var.connector_security_group_id
  kafka_security_group_id     = var.msk_security_group_id
  endpoints_security_group_id = var.endpoints_security_group_id
  database_security_group_id  = var.database_security_group_id
  database_hostname           = var.database_hostname
  database_secret_arn         = var.database_secret_arn
  database_include_list       = [var.database_name]
  table_include_list          = var.table_include_list
  topic_prefix                = var.topic_prefix
  plugin_bucket_arn           = var.artifact_bucket_arn
  plugin_s3_key               = var.debezium_plugin_s3_key
  kms_key_arn                 = var.kms_key_arn
}
