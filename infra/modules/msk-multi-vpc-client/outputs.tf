output "vpc_connection_arn" {
  description = "ARN of the MSK VPC connection."
  value       = aws_msk_vpc_connection.this.arn
}

output "security_group_id" {
  description = "Security group of the connection endpoints; clients need egress to it on 14001-14100."
  value       = aws_security_group.this.id
}

output "port_range" {
  description = "Broker port range exposed in this VPC."
  value       = { from = local.port_from, to = local.port_to }
}

output "bootstrap_brokers" {
  description = "Bootstrap brokers for this VPC connection, for the chosen authentication."
  value = {
    SASL_IAM   = data.aws_msk_bootstrap_brokers.this.bootstrap_brokers_vpc_connectivity_sasl_iam
    SASL_SCRAM = data.aws_msk_bootstrap_brokers.this.bootstrap_brokers_vpc_connectivity_sasl_scram
    TLS        = data.aws_msk_bootstrap_brokers.this.bootstrap_brokers_vpc_connectivity_tls
  }[var.authentication]
}
