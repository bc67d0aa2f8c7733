output "msk_cluster_arn" {
  description = "ARN of the MSK cluster."
  value       = module.msk.cluster_arn
}

output "bootstrap_brokers_sasl_scram" {
  description = "SCRAM bootstrap brokers (port 9096); resolvable from account B through the Transit Gateway."
  value       = module.msk.bootstrap_brokers_sasl_scram
}

output "msk_vpc_cidr" {
  description = "CIDR of the MSK VPC (route and egress target in account B)."
  value       = module.network.vpc_cidr_block
}

output "transit_gateway_id" {
  description = "Transit Gateway to attach account B's VPC to."
  value       = module.tgw.transit_gateway_id
}

output "resource_share_arn" {
  description = "RAM share of the Transit Gateway (account B accepts it when outside an Organization)."
  value       = module.tgw.resource_share_arn
}

output "connect_scram_secret_arn" {
  description = "SCRAM secret for the Connect workers (its ARN only)."
  value       = module.connect_scram.secret_arn
}

output "msk_kms_key_arn" {
  description = "Key protecting the shared SCRAM secret; the workers need kms:Decrypt on it."
  value       = module.kms.key_arn
}

output "artifact_bucket_name" {
  description = "Artifact bucket of account A."
  value       = module.artifacts.bucket_name
}

output "broker_log_group_name" {
  description = "Broker log group."
  value       = module.msk.broker_log_group_name
}

output "topic" {
  description = "Readings topic."
  value       = var.topic
}
