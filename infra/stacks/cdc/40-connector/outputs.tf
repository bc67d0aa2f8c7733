output "connector_arn" {
  description = "ARN of the Debezium connector."
  value       = module.debezium.connector_arn
}

output "topic_pattern" {
  description = "Change topics."
  value       = module.debezium.topic_pattern
}

output "schema_history_topic" {
  description = "Schema history topic."
  value       = module.debezium.schema_history_topic
}

output "connector_log_group_name" {
  description = "Worker log group."
  value       = module.debezium.log_group_name
}
