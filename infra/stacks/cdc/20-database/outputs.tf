output "database_hostname" {
  description = "Writer endpoint."
  value       = module.aurora.endpoint
}

output "database_port" {
  description = "MySQL port."
  value       = module.aurora.port
}

output "database_cluster_arn" {
  description = "Cluster ARN (Data API target of the Debezium-user step)."
  value       = module.aurora.cluster_arn
}

output "database_name" {
  description = "Captured database."
  value       = var.database_name
}

output "master_user_secret_arn" {
  description = "RDS-managed master secret (ARN only)."
  value       = module.aurora.master_user_secret_arn
}

output "database_secret_arn" {
  description = "Secret of the Debezium user, filled by infra/scripts/create-debezium-user.sh (ARN only)."
  value       = module.aurora.debezium_secret_arn
}

output "debezium_username" {
  description = "MySQL user of Debezium."
  value       = module.aurora.debezium_username
}
