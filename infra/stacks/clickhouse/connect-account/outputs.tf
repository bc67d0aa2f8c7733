output "connect_asg_name" {
  description = "Auto Scaling group of the Connect workers (SSM sessions go to its instances)."
  value       = module.connect.autoscaling_group_name
}

output "connect_group_id" {
  description = "Connect group.id."
  value       = module.connect.group_id
}

output "connect_internal_topics" {
  description = "Internal topics of the Connect group."
  value       = module.connect.internal_topics
}

output "connect_log_group_name" {
  description = "Worker log group."
  value       = module.connect.log_group_name
}

output "clickhouse_endpoint_id" {
  description = "VPC endpoint ID to allow in the ClickHouse Cloud service."
  value       = module.clickhouse_endpoint.endpoint_id
}

output "clickhouse_secret_arn" {
  description = "Secret to fill with the ClickHouse credentials (ARN only)."
  value       = aws_secretsmanager_secret.clickhouse.arn
}

output "transit_gateway_attachment_id" {
  description = "This VPC's Transit Gateway attachment."
  value       = module.tgw.attachment_id
}

output "artifact_bucket_name" {
  description = "Artifact bucket of account B."
  value       = module.artifacts.bucket_name
}
