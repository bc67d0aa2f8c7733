mock_provider "aws" {
  mock_resource "aws_rds_cluster" {
    defaults = {
      arn                = "arn:aws:rds:eu-west-1:111111111111:cluster:sluice-cdc"
      endpoint           = "sluice-cdc.cluster-abc.eu-west-1.rds.amazonaws.com"
      port               = 3306
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!cluster-abc-AbCdEf", kms_key_id = "k", secret_status = "active" }]
    }
  }
}

variables {
  name                           = "sluice-cdc"
  vpc_id                         = "vpc-1"
  subnet_ids                     = ["subnet-a", "subnet-b"]
  kms_key_arn                    = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  allowed_client_security_groups = { debezium = "sg-connector" }
}

run "binlog_and_encryption" {
  command = apply

  assert {
    condition     = length([for p in aws_rds_cluster_parameter_group.this.parameter : p if p.name == "binlog_format" && p.value == "ROW"]) == 1 && length([for p in aws_rds_cluster_parameter_group.this.parameter : p if p.name == "binlog_row_image" && p.value == "FULL"]) == 1
    error_message = "binlog_format=ROW and binlog_row_image=FULL required."
  }
  assert {
    condition     = length([for p in aws_rds_cluster_parameter_group.this.parameter : p if p.name == "binlog_transaction_compression" && p.value == "OFF"]) == 1
    error_message = "binlog_transaction_compression must be pinned OFF (compressed binlog transactions break the CDC version proof)."
  }
  assert {
    condition     = length([for p in aws_rds_cluster_parameter_group.this.parameter : p if p.name == "require_secure_transport" && p.value == "ON"]) == 1
    error_message = "TLS must be required for MySQL clients."
  }
  assert {
    condition     = aws_rds_cluster.this.db_cluster_parameter_group_name == aws_rds_cluster_parameter_group.this.name
    error_message = "The cluster must use the binlog parameter group."
  }
  assert {
    condition     = aws_rds_cluster.this.manage_master_user_password && aws_rds_cluster.this.master_password == null && aws_rds_cluster.this.master_user_secret_kms_key_id == var.kms_key_arn
    error_message = "Master password must be managed in Secrets Manager with the CMK, never set in Terraform."
  }
  assert {
    condition     = aws_rds_cluster.this.storage_encrypted && aws_rds_cluster.this.kms_key_id == var.kms_key_arn
    error_message = "Storage must be encrypted with the CMK."
  }
  assert {
    condition     = alltrue([for i in aws_rds_cluster_instance.this : i.publicly_accessible == false && i.performance_insights_kms_key_id == var.kms_key_arn])
    error_message = "Instances must be private and encrypt Performance Insights."
  }
  assert {
    condition     = alltrue([for g in aws_cloudwatch_log_group.exports : g.kms_key_id == var.kms_key_arn]) && length(aws_cloudwatch_log_group.exports) == 3
    error_message = "Exported logs must land in encrypted log groups."
  }
  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.clients : r.from_port == 3306 && r.to_port == 3306 && r.referenced_security_group_id == "sg-connector" && r.cidr_ipv4 == null])
    error_message = "MySQL only from the named client security groups."
  }
  assert {
    condition     = aws_secretsmanager_secret.debezium.kms_key_id == var.kms_key_arn
    error_message = "The Debezium secret must be encrypted with the CMK."
  }
  assert {
    condition     = aws_rds_cluster.this.deletion_protection && aws_rds_cluster.this.backup_retention_period >= 1
    error_message = "Deletion protection and backups by default."
  }
  assert {
    condition     = output.master_user_secret_arn == "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!cluster-abc-AbCdEf"
    error_message = "The managed master secret ARN must be exposed (its ARN, not its value)."
  }
}

run "rejects_no_backups" {
  command = plan
  variables {
    backup_retention_period = 0
  }
  expect_failures = [var.backup_retention_period]
}

run "rejects_binlog_compression_override" {
  command = plan

  variables {
    cluster_parameters = { binlog_transaction_compression = "ON" }
  }
  expect_failures = [var.cluster_parameters]
}
