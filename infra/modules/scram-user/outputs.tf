output "secret_arn" {
  description = "ARN of the SCRAM secret (associate it with the cluster: msk module scram_secret_arns)."
  value       = aws_secretsmanager_secret.this.arn
}

output "secret_name" {
  description = "Name of the SCRAM secret (AmazonMSK_<name>)."
  value       = aws_secretsmanager_secret.this.name
}

output "username" {
  description = "The SCRAM user name."
  value       = var.username
}

output "secret_version_id" {
  description = "Version of the stored credentials; depend on it (or on the module) before associating the secret with a cluster."
  value       = aws_secretsmanager_secret_version.this.version_id
}
