output "bootstrap_servers" {
  description = "Comma-separated host:port list for Kafka clients in this VPC."
  value       = join(",", [for k in sort(keys(var.broker_map)) : "${var.broker_map[k].host}:${var.broker_map[k].port}"])
}

output "security_group_id" {
  description = "Security group of the broker endpoints; clients need egress to it on the broker port."
  value       = aws_security_group.endpoints.id
}

output "endpoint_ids" {
  description = "Broker ID to interface endpoint ID."
  value       = { for k, e in aws_vpc_endpoint.broker : k => e.id }
}

output "private_zone_id" {
  description = "Route 53 private hosted zone holding the broker records."
  value       = aws_route53_zone.brokers.zone_id
}

output "private_zone_name" {
  description = "Name of the private hosted zone."
  value       = aws_route53_zone.brokers.name
}

output "broker_ports" {
  description = "Distinct broker ports used by the endpoints."
  value       = local.ports
}
