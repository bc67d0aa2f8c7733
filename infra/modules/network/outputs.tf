output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "private_subnet_ids" {
  description = "Private subnet IDs, in the order of var.azs."
  value       = [for az in var.azs : aws_subnet.private[az].id]
}

output "private_route_table_ids" {
  description = "Private route table IDs, in the order of var.azs."
  value       = [for az in var.azs : aws_route_table.private[az].id]
}

output "public_subnet_ids" {
  description = "Public subnet IDs (empty unless enable_nat_gateway)."
  value       = [for az in var.azs : aws_subnet.public[az].id if var.enable_nat_gateway]
}

output "nat_gateway_ids" {
  description = "NAT gateway IDs (empty unless enable_nat_gateway)."
  value       = [for k, v in aws_nat_gateway.this : v.id]
}

output "endpoints_security_group_id" {
  description = "Security group attached to the interface endpoints; clients need egress 443 to it."
  value       = aws_security_group.endpoints.id
}

output "interface_endpoint_ids" {
  description = "Map of service short name to interface endpoint ID."
  value       = { for k, v in aws_vpc_endpoint.interface : k => v.id }
}

output "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint, for egress rules to S3 (null when disabled)."
  value       = var.enable_s3_gateway_endpoint ? aws_vpc_endpoint.s3[0].prefix_list_id : null
}

output "flow_log_id" {
  description = "ID of the VPC flow log (all traffic)."
  value       = aws_flow_log.this.id
}

output "flow_logs_log_group_name" {
  description = "CloudWatch log group receiving the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}
