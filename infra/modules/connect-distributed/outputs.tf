output "autoscaling_group_name" {
  description = "Name of the worker Auto Scaling group."
  value       = module.fleet.autoscaling_group_name
}

output "security_group_id" {
  description = "Security group of the workers (allow it on ClickHouse 8443; allow its VPC CIDR or SG on the brokers)."
  value       = module.fleet.security_group_id
}

output "iam_role_arn" {
  description = "IAM role of the workers."
  value       = module.fleet.iam_role_arn
}

output "log_group_name" {
  description = "CloudWatch log group of the workers."
  value       = module.fleet.log_group_name
}

output "internal_topics" {
  description = "Config, offset and status topics of the Connect group."
  value = {
    config = local.worker_properties_map["config.storage.topic"]
    offset = local.worker_properties_map["offset.storage.topic"]
    status = local.worker_properties_map["status.storage.topic"]
  }
}

output "group_id" {
  description = "Connect group.id."
  value       = local.worker_properties_map["group.id"]
}
