output "connector_arn" {
  description = "ARN of the Debezium connector."
  value       = module.connector.connector_arn
}

output "connector_configuration" {
  description = "The connector configuration (contains config provider references only, never secret values)."
  value       = local.connector_configuration
}

output "schema_history_topic" {
  description = "Schema history topic."
  value       = local.history_topic
}

output "topic_pattern" {
  description = "Pattern of the change topics: <prefix>.<database>.<table>."
  value       = "${var.topic_prefix}.<database>.<table>"
}

output "security_group_id" {
  description = "Security group of the connector workers."
  value       = module.connector.security_group_id
}

output "log_group_name" {
  description = "Worker log group."
  value       = module.connector.log_group_name
}

output "service_execution_role_arn" {
  description = "IAM role of the connector."
  value       = module.connector.service_execution_role_arn
}
