# Stage 3 of 4: the MSK cluster (IAM auth over TLS; MSK Connect authenticates with IAM).
locals {
  stack = "cdc-30-msk"
}

module "msk" {
  source = "../../../modules/msk"

  name                           = var.name
  kafka_version                  = var.kafka_version
  broker_instance_type           = var.broker_instance_type
  number_of_broker_nodes         = var.broker_count
  vpc_id                         = var.vpc_id
  subnet_ids                     = var.private_subnet_ids
  kms_key_arn                    = var.kms_key_arn
  client_authentication          = { iam = true }
  allowed_client_security_groups = { debezium = var.connector_security_group_id }
}
