output "endpoint_service_names" {
  description = "Broker ID to VPC endpoint service name."
  value       = { for b, s in aws_vpc_endpoint_service.broker : b => s.service_name }
}

output "nlb_arns" {
  description = "Broker ID to NLB ARN."
  value       = { for b, l in aws_lb.broker : b => l.arn }
}

output "broker_map_secret_arn" {
  description = "ARN of the broker map secret (input of privatelink-broker-consumer through the consumer stack)."
  value       = aws_secretsmanager_secret.broker_map.arn
}

output "nlb_security_group_id" {
  description = "Security group of the broker NLBs."
  value       = aws_security_group.nlb.id
}
