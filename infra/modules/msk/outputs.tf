output "cluster_arn" {
  description = "ARN of the MSK cluster."
  value       = aws_msk_cluster.this.arn
}

output "cluster_name" {
  description = "Name of the MSK cluster."
  value       = aws_msk_cluster.this.cluster_name
}

output "cluster_uuid" {
  description = "UUID of the cluster (used in kafka-cluster IAM resource ARNs)."
  value       = aws_msk_cluster.this.cluster_uuid
}

output "bootstrap_brokers_tls" {
  description = "TLS bootstrap brokers (port 9094, mTLS), empty when mTLS is off."
  value       = aws_msk_cluster.this.bootstrap_brokers_tls
}

output "bootstrap_brokers_sasl_scram" {
  description = "SASL/SCRAM bootstrap brokers (port 9096), empty when SCRAM is off."
  value       = aws_msk_cluster.this.bootstrap_brokers_sasl_scram
}

output "bootstrap_brokers_sasl_iam" {
  description = "IAM bootstrap brokers (port 9098), empty when IAM is off."
  value       = aws_msk_cluster.this.bootstrap_brokers_sasl_iam
}

output "client_ports" {
  description = "Map of enabled authentication method to client port."
  value       = local.client_ports
}

output "security_group_id" {
  description = "Security group of the brokers."
  value       = aws_security_group.this.id
}

output "configuration_arn" {
  description = "ARN of the MSK configuration."
  value       = aws_msk_configuration.this.arn
}

output "broker_log_group_name" {
  description = "CloudWatch log group receiving broker logs."
  value       = aws_cloudwatch_log_group.broker.name
}
