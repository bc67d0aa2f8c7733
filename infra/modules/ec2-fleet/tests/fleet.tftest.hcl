mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { value = "ami-0123456789abcdef0" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/sluice-fleet" }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::111111111111:instance-profile/sluice-fleet" }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111111111111:log-group:/sluice/fleet" }
  }
  mock_resource "aws_security_group" {
    defaults = { id = "sg-fleet" }
  }
}

variables {
  name           = "sluice-fleet"
  description    = "Test fleet"
  vpc_id         = "vpc-1"
  subnet_ids     = ["subnet-a", "subnet-b"]
  instance_type  = "t3.small"
  kms_key_arn    = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  user_data      = "#!/bin/bash\n"
  log_group_name = "/sluice/fleet"
  policy_name    = "test"
  policy_statements = [{
    Sid      = "ReadArtifact"
    Effect   = "Allow"
    Action   = ["s3:GetObject"]
    Resource = ["arn:aws:s3:::bucket/app.jar"]
  }]
  egress_rules = {
    aws  = { port = 443, security_group_id = "sg-endpoints", description = "endpoints" }
    peer = { port = 8083, security_group_id = "self", description = "to the other instances" }
  }
  ingress_from_self_ports = { "8083" = "from the other instances" }
  min_size                = 2
  max_size                = 3
  desired_capacity        = 2
}

run "private_hardened_fleet" {
  command = apply

  assert {
    condition     = aws_launch_template.this.key_name == null && aws_launch_template.this.metadata_options[0].http_tokens == "required" && aws_launch_template.this.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "No key pair; IMDSv2 only, one hop."
  }
  assert {
    condition     = alltrue([for b in aws_launch_template.this.block_device_mappings : b.ebs[0].encrypted == "true" && b.ebs[0].kms_key_id == var.kms_key_arn])
    error_message = "Root volumes must be encrypted with the customer managed key."
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.kms_key_id == var.kms_key_arn
    error_message = "The log group must be encrypted with the customer managed key."
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.this["peer"].referenced_security_group_id == "sg-fleet" && aws_vpc_security_group_ingress_rule.self["8083"].referenced_security_group_id == "sg-fleet" && length(aws_vpc_security_group_ingress_rule.self) == 1
    error_message = "\"self\" means the fleet's own group; the only ingress is from the fleet itself."
  }
  assert {
    condition     = alltrue([for r in aws_vpc_security_group_egress_rule.this : r.cidr_ipv4 == null && r.cidr_ipv6 == null])
    error_message = "No egress to CIDRs unless named."
  }
  assert {
    condition     = aws_iam_role_policy_attachment.ssm.policy_arn == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    error_message = "Access is through SSM Session Manager."
  }
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "ShipLogs"][0] == ["arn:aws:logs:eu-west-1:111111111111:log-group:/sluice/fleet:*"] && length(jsondecode(aws_iam_role_policy.this.policy).Statement) == 2
    error_message = "The role gets the caller's statements plus shipping logs to its own log group."
  }
  assert {
    condition     = aws_autoscaling_group.this.min_size == 2 && aws_autoscaling_group.this.instance_refresh[0].strategy == "Rolling"
    error_message = "Rolling instance refresh."
  }
}

run "rejects_open_egress" {
  command = plan
  variables {
    egress_rules = { any = { port = 443, cidr = "0.0.0.0/0", description = "anywhere" } }
  }
  expect_failures = [var.egress_rules]
}

run "rejects_ambiguous_egress" {
  command = plan
  variables {
    egress_rules = { two = { port = 443, cidr = "10.0.0.0/16", security_group_id = "sg-x", description = "two" } }
  }
  expect_failures = [var.egress_rules]
}
