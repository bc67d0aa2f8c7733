output "transit_gateway_id" {
  description = "ID of the Transit Gateway (created or existing)."
  value       = local.tgw_id
}

output "transit_gateway_arn" {
  description = "ARN of the created Transit Gateway (null when attaching to an existing one)."
  value       = var.create_transit_gateway ? aws_ec2_transit_gateway.this[0].arn : null
}

output "resource_share_arn" {
  description = "RAM share of the created gateway (input resource_share_arn_to_accept in the spoke account, outside an Organization)."
  value       = length(aws_ram_resource_share.this) > 0 ? aws_ram_resource_share.this[0].arn : null
}

output "attachment_id" {
  description = "ID of this VPC's attachment."
  value       = aws_ec2_transit_gateway_vpc_attachment.this.id
}

output "route_ids" {
  description = "IDs of the routes added to this VPC's route tables."
  value       = [for r in aws_route.remote : r.id]
}
