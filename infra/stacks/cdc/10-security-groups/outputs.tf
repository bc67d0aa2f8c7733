output "vpc_id" {
  description = "VPC of the CDC deployment."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets."
  value       = module.network.private_subnet_ids
}

output "endpoints_security_group_id" {
  description = "Security group of the interface endpoints."
  value       = module.network.endpoints_security_group_id
}

output "database_security_group_id" {
  description = "Security group of the Aurora cluster."
  value       = aws_security_group.database.id
}

output "connector_security_group_id" {
  description = "Security group of the Debezium connector."
  value       = aws_security_group.connector.id
}

output "kms_key_arn" {
  description = "Customer managed key of the deployment."
  value       = module.kms.key_arn
}

output "artifact_bucket_name" {
  description = "Artifact bucket."
  value       = module.artifacts.bucket_name
}

output "artifact_bucket_arn" {
  description = "Artifact bucket ARN."
  value       = module.artifacts.bucket_arn
}
