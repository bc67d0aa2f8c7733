output "msk_cluster_arn" {
  description = "Cluster ARN."
  value       = module.msk.cluster_arn
}

output "bootstrap_brokers_sasl_iam" {
  description = "IAM bootstrap brokers."
  value       = module.msk.bootstrap_brokers_sasl_iam
}

output "msk_security_group_id" {
  description = "Broker security group."
  value       = module.msk.security_group_id
}

output "broker_log_group_name" {
  description = "Broker log group."
  value       = module.msk.broker_log_group_name
}
