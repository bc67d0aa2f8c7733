output "connector_arn" {
  description = "ARN of the MSK Connect connector."
  value       = aws_mskconnect_connector.this.arn
}

output "custom_plugin_arn" {
  description = "ARN of the custom plugin."
  value       = aws_mskconnect_custom_plugin.this.arn
}

output "worker_configuration_arn" {
  description = "ARN of the worker configuration."
  value       = aws_mskconnect_worker_configuration.this.arn
}

output "service_execution_role_arn" {
  description = "IAM role assumed by the connector."
  value       = aws_iam_role.this.arn
}

output "security_group_id" {
  description = "Security group of the worker ENIs (allow it on the brokers' 9098 and on any target such as ClickHouse or Aurora)."
  value       = local.security_group_id
}

output "log_group_name" {
  description = "CloudWatch log group of the workers."
  value       = aws_cloudwatch_log_group.this.name
}
