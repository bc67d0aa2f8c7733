# Stage 2 of 4: Aurora MySQL with binlog ROW/FULL and a managed master password.
locals {
  stack = "cdc-20-database"
}

module "aurora" {
  source = "../../../modules/aurora-mysql"

  name                           = var.name
  vpc_id                         = var.vpc_id
  subnet_ids                     = var.private_subnet_ids
  security_group_id              = var.database_security_group_id
  allowed_client_security_groups = { debezium = var.connector_security_group_id }
  engine_version                 = var.engine_version
  instance_class                 = var.instance_class
  instance_count                 = var.instance_count
  database_name                  = var.database_name
  kms_key_arn                    = var.kms_key_arn
  deletion_protection            = var.deletion_protection
  skip_final_snapshot            = var.skip_final_snapshot
}
