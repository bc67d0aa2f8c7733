output "connectivity" {
  description = "Connectivity pattern in use (input of the consumer stack)."
  value       = var.connectivity
}

output "msk_cluster_arn" {
  description = "ARN of the MSK cluster."
  value       = module.msk.cluster_arn
}

output "bootstrap_brokers_sasl_iam" {
  description = "IAM bootstrap brokers inside the producer VPC."
  value       = module.msk.bootstrap_brokers_sasl_iam
}

output "bootstrap_brokers_sasl_scram" {
  description = "SCRAM bootstrap brokers (hostnames the consumer's private hosted zone resolves)."
  value       = module.msk.bootstrap_brokers_sasl_scram
}

output "broker_map_secret_arn" {
  description = "Broker map secret shared with the consumer account (privatelink only)."
  value       = local.privatelink ? module.broker_services[0].broker_map_secret_arn : null
}

output "endpoint_service_names" {
  description = "Broker ID to endpoint service name (privatelink only)."
  value       = local.privatelink ? module.broker_services[0].endpoint_service_names : {}
}

output "aggregator_scram_secret_arn" {
  description = "SCRAM secret of the aggregator, readable by the consumer account (its ARN only)."
  value       = module.aggregator_scram.secret_arn
}

output "producer_kms_key_arn" {
  description = "Key protecting the shared secrets; the consumer's aggregator role needs kms:Decrypt on it."
  value       = module.kms.key_arn
}

output "artifact_bucket_name" {
  description = "Artifact bucket of this account (upload the producer jar here)."
  value       = module.artifacts.bucket_name
}

output "producer_asg_name" {
  description = "Producer Auto Scaling group."
  value       = module.producers.autoscaling_group_name
}

output "producer_log_group_name" {
  description = "Producer log group."
  value       = module.producers.log_group_name
}

output "broker_log_group_name" {
  description = "Broker log group."
  value       = module.msk.broker_log_group_name
}

output "topic" {
  description = "Readings topic."
  value       = var.topic
}
