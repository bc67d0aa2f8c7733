locals {
  security_group_id = var.security_group_id == null ? aws_security_group.this[0].id : var.security_group_id

  # What Debezium's MySQL connector needs: row-based binlog with full row images, and uncompressed binlog
  # transactions (the CDC version proof in ARCHITECTURE.md reads every row event). TLS is required for every
  # client. These win over cluster_parameters, which may not change them (validated).
  pinned_parameters = {
    binlog_format                  = "ROW"
    binlog_row_image               = "FULL"
    binlog_transaction_compression = "OFF"
    require_secure_transport       = "ON"
  }
  cluster_parameters = merge(var.cluster_parameters, local.pinned_parameters)
}

resource "aws_security_group" "this" {
  count = var.security_group_id == null ? 1 : 0

  name        = "${var.name}-aurora"
  description = "Aurora MySQL ${var.name}: 3306 from named clients only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-aurora" })
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = var.allowed_client_security_groups

  security_group_id            = local.security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = each.value
  description                  = "MySQL (TLS) from ${each.key}"
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_rds_cluster_parameter_group" "this" {
  name        = "${var.name}-binlog"
  family      = "aurora-mysql8.0"
  description = "Sluice CDC: row-based binlog, full row images, TLS only"

  dynamic "parameter" {
    for_each = local.cluster_parameters
    content {
      name         = parameter.key
      value        = parameter.value
      apply_method = "pending-reboot"
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "exports" {
  for_each = toset(var.log_exports)

  name              = "/aws/rds/cluster/${var.name}/${each.value}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_rds_cluster" "this" {
  cluster_identifier                  = var.name
  engine                              = "aurora-mysql"
  engine_version                      = var.engine_version
  database_name                       = var.database_name
  master_username                     = var.master_username
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = var.kms_key_arn
  storage_encrypted                   = true
  kms_key_id                          = var.kms_key_arn
  db_subnet_group_name                = aws_db_subnet_group.this.name
  vpc_security_group_ids              = [local.security_group_id]
  db_cluster_parameter_group_name     = aws_rds_cluster_parameter_group.this.name
  backup_retention_period             = var.backup_retention_period
  preferred_backup_window             = "02:00-03:00"
  copy_tags_to_snapshot               = true
  deletion_protection                 = var.deletion_protection
  skip_final_snapshot                 = var.skip_final_snapshot
  final_snapshot_identifier           = var.skip_final_snapshot ? null : "${var.name}-final"
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = var.log_exports
  enable_http_endpoint                = var.enable_http_endpoint
  tags                                = var.tags

  depends_on = [aws_cloudwatch_log_group.exports]
}

resource "aws_rds_cluster_instance" "this" {
  count = var.instance_count

  identifier                      = "${var.name}-${count.index + 1}"
  cluster_identifier              = aws_rds_cluster.this.id
  engine                          = aws_rds_cluster.this.engine
  engine_version                  = aws_rds_cluster.this.engine_version
  instance_class                  = var.instance_class
  db_subnet_group_name            = aws_db_subnet_group.this.name
  publicly_accessible             = false
  performance_insights_enabled    = true
  performance_insights_kms_key_id = var.kms_key_arn
  auto_minor_version_upgrade      = true
  tags                            = var.tags
}

# Container for the Debezium user's credentials. Terraform never holds the password: the documented step
# (infra/scripts/create-debezium-user.sh) generates it, stores it here and creates the MySQL user with it.
resource "aws_secretsmanager_secret" "debezium" {
  name        = "${var.name}/debezium"
  description = "MySQL credentials of the Debezium connector for ${var.name} ({\"username\",\"password\"})"
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}
