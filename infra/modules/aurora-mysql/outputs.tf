output "cluster_identifier" {
  description = "Cluster identifier."
  value       = aws_rds_cluster.this.cluster_identifier
}

output "cluster_arn" {
  description = "Cluster ARN."
  value       = aws_rds_cluster.this.arn
}

output "endpoint" {
  description = "Writer endpoint (Debezium reads the binlog from the writer)."
  value       = aws_rds_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "port" {
  description = "MySQL port."
  value       = aws_rds_cluster.this.port
}

output "master_user_secret_arn" {
  description = "ARN of the RDS-managed secret with the master credentials."
  value       = try(aws_rds_cluster.this.master_user_secret[0].secret_arn, null)
}

output "debezium_secret_arn" {
  description = "ARN of the secret the Debezium connector reads through the config provider (filled by the documented step)."
  value       = aws_secretsmanager_secret.debezium.arn
}

output "debezium_username" {
  description = "MySQL user name for Debezium (used by the documented step)."
  value       = var.debezium_username
}

output "security_group_id" {
  description = "Security group of the cluster."
  value       = local.security_group_id
}

output "parameter_group_name" {
  description = "Cluster parameter group with the binlog settings."
  value       = aws_rds_cluster_parameter_group.this.name
}
