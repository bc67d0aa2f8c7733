output "autoscaling_group_name" {
  description = "Name of the Auto Scaling group."
  value       = aws_autoscaling_group.this.name
}

output "security_group_id" {
  description = "Security group of the instances."
  value       = aws_security_group.this.id
}

output "iam_role_arn" {
  description = "Instance role ARN."
  value       = aws_iam_role.this.arn
}

output "iam_role_name" {
  description = "Instance role name."
  value       = aws_iam_role.this.name
}

output "iam_policy" {
  description = "The instance role's inline policy document (JSON)."
  value       = aws_iam_role_policy.this.policy
}

output "log_group_name" {
  description = "Log group of the instances' service."
  value       = aws_cloudwatch_log_group.this.name
}

output "launch_template_id" {
  description = "Launch template of the fleet."
  value       = aws_launch_template.this.id
}

output "launch_template" {
  description = "Security-relevant settings of the launch template (instance type, key pair, IMDS tokens, root volumes)."
  value = {
    instance_type = aws_launch_template.this.instance_type
    key_name      = aws_launch_template.this.key_name
    http_tokens   = aws_launch_template.this.metadata_options[0].http_tokens
    volumes       = [for b in aws_launch_template.this.block_device_mappings : { encrypted = b.ebs[0].encrypted, kms_key_id = b.ebs[0].kms_key_id, volume_type = b.ebs[0].volume_type }]
  }
}

output "egress_rules" {
  description = "Egress rules as planned: name -> { from_port, to_port, referenced_security_group_id, cidr_ipv4, cidr_ipv6, prefix_list_id }."
  value = { for k, r in aws_vpc_security_group_egress_rule.this : k => {
    from_port                    = r.from_port
    to_port                      = r.to_port
    referenced_security_group_id = r.referenced_security_group_id
    cidr_ipv4                    = r.cidr_ipv4
    cidr_ipv6                    = r.cidr_ipv6
    prefix_list_id               = r.prefix_list_id
  } }
}

output "self_ingress_rules" {
  description = "Ingress rules between the instances: port -> referenced security group."
  value       = { for k, r in aws_vpc_security_group_ingress_rule.self : k => r.referenced_security_group_id }
}

output "min_size" {
  description = "Minimum size of the Auto Scaling group."
  value       = aws_autoscaling_group.this.min_size
}

output "log_group_kms_key_id" {
  description = "Key encrypting the log group."
  value       = aws_cloudwatch_log_group.this.kms_key_id
}

output "managed_policy_arns" {
  description = "Managed policies attached to the instance role (SSM Session Manager)."
  value       = [aws_iam_role_policy_attachment.ssm.policy_arn]
}
