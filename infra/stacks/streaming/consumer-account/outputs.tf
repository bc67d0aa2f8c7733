output "bootstrap_servers" {
  description = "Bootstrap servers as seen from the consumer VPC."
  value       = local.bootstrap_servers
}

output "function_name" {
  description = "Aggregator function."
  value       = module.aggregator.function_name
}

output "event_source_mapping_uuid" {
  description = "Event source mapping of the aggregator."
  value       = module.aggregator.event_source_mapping_uuid
}

output "table_name" {
  description = "DynamoDB table with per-device windows."
  value       = module.aggregator.table_name
}

output "on_failure_queue_url" {
  description = "On-failure destination of the event source mapping."
  value       = module.aggregator.on_failure_queue_url
}

output "private_zone_name" {
  description = "Private hosted zone of the broker hostnames (privatelink only)."
  value       = local.privatelink ? module.broker_endpoints[0].private_zone_name : null
}

output "artifact_bucket_name" {
  description = "Artifact bucket of this account (upload the aggregator jar here before applying the function)."
  value       = module.artifacts.bucket_name
}

output "aggregator_log_group_name" {
  description = "Log group of the aggregator."
  value       = module.aggregator.log_group_name
}
