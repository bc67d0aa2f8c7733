# A two-instance Aurora MySQL cluster for CDC with every optional input set: an existing security group, extra
# cluster parameters (the binlog settings stay pinned), longer backups and log retention.
provider "aws" {
  region = "eu-west-1"
}

module "aurora" {
  source = "../../"

  name                           = "sluice-cdc-complete"
  vpc_id                         = "vpc-0123456789abcdef0"
  subnet_ids                     = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
  security_group_id              = "sg-0123456789abcdef4"
  allowed_client_security_groups = { debezium = "sg-0123456789abcdef0", operators = "sg-0123456789abcdef5" }
  engine_version                 = "8.0.mysql_aurora.3.08.0"
  instance_class                 = "db.r6g.large"
  instance_count                 = 2
  database_name                  = "inventory"
  master_username                = "sluice_admin"
  kms_key_arn                    = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  backup_retention_period        = 14
  deletion_protection            = true
  skip_final_snapshot            = false
  cluster_parameters             = { binlog_row_metadata = "FULL", max_connections = "500" }
  log_exports                    = ["audit", "error", "slowquery"]
  log_retention_days             = 90
  enable_http_endpoint           = true
  debezium_username              = "debezium"
  tags                           = { Project = "sluice", Example = "complete" }
}

output "endpoint" {
  value = module.aurora.endpoint
}
