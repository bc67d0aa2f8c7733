output "function_name" {
  description = "Name of the aggregator function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the aggregator function."
  value       = aws_lambda_function.this.arn
}

output "event_source_mapping_uuid" {
  description = "UUID of the Kafka event source mapping."
  value       = aws_lambda_event_source_mapping.this.uuid
}

output "table_name" {
  description = "DynamoDB table with per-device window aggregates."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the DynamoDB table."
  value       = aws_dynamodb_table.this.arn
}

output "on_failure_queue_url" {
  description = "SQS queue receiving metadata of batches that failed all retries."
  value       = aws_sqs_queue.on_failure.url
}

output "poller_security_group_id" {
  description = "Security group of the event source pollers (self_managed only; allow it on the broker endpoints)."
  value       = local.self_managed ? aws_security_group.poller[0].id : null
}

output "iam_role_arn" {
  description = "Execution role of the function."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Log group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

output "on_failure_queue_arn" {
  description = "ARN of the on-failure queue."
  value       = aws_sqs_queue.on_failure.arn
}

output "replay_role_arn" {
  description = "Role that alone may read and delete messages of the on-failure queue."
  value       = aws_iam_role.replay.arn
}

output "on_failure_alarm_name" {
  description = "CloudWatch alarm on the on-failure queue's depth (> 0)."
  value       = aws_cloudwatch_metric_alarm.on_failure_depth.alarm_name
}
