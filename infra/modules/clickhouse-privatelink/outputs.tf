output "endpoint_id" {
  description = "VPC endpoint ID; add it to the ClickHouse Cloud service's private endpoint allow list."
  value       = aws_vpc_endpoint.this.id
}

output "endpoint_dns_entries" {
  description = "DNS entries of the endpoint (the private DNS name of the ClickHouse service resolves to it inside the VPC)."
  value       = aws_vpc_endpoint.this.dns_entry
}

output "security_group_id" {
  description = "Security group of the endpoint; Connect workers need egress to it on 8443."
  value       = aws_security_group.this.id
}

output "port" {
  description = "The one port open on the endpoint (8443)."
  value       = local.https_port
}
