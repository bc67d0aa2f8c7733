mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111111111111:log-group:/sluice/vpc-flow-logs/t" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/t-vpc-flow-logs" }
  }
}

variables {
  name       = "t"
  cidr_block = "10.10.0.0/16"
  azs        = ["eu-west-1a", "eu-west-1b"]
}

run "private_only_by_default" {
  command = apply

  assert {
    condition     = length(aws_subnet.private) == 2 && alltrue([for s in aws_subnet.private : s.map_public_ip_on_launch == false])
    error_message = "Expected one private subnet per AZ, none mapping public IPs."
  }
  assert {
    condition     = length(aws_nat_gateway.this) == 0 && length(aws_internet_gateway.this) == 0 && length(aws_route.private_nat) == 0
    error_message = "No internet path may exist unless enable_nat_gateway is set."
  }
  assert {
    condition     = alltrue([for s in ["ssm", "ssmmessages", "ec2messages", "secretsmanager"] : contains(keys(aws_vpc_endpoint.interface), s)])
    error_message = "SSM and Secrets Manager interface endpoints are required."
  }
  assert {
    condition     = alltrue([for e in aws_vpc_endpoint.interface : e.private_dns_enabled && e.vpc_endpoint_type == "Interface"])
    error_message = "Interface endpoints must have private DNS."
  }
  assert {
    condition     = aws_vpc_endpoint.interface["secretsmanager"].service_name == "com.amazonaws.eu-west-1.secretsmanager"
    error_message = "Endpoint service name is wrong."
  }
  assert {
    condition     = length(aws_vpc_endpoint.s3) == 1 && aws_vpc_endpoint.s3[0].vpc_endpoint_type == "Gateway" && length(aws_vpc_endpoint.s3[0].route_table_ids) == 2
    error_message = "S3 gateway endpoint must be attached to every private route table."
  }
  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.endpoints : r.cidr_ipv4 == "10.10.0.0/16" && r.from_port == 443 && r.to_port == 443])
    error_message = "Endpoint security group may only allow 443 from the VPC CIDR."
  }
  assert {
    condition     = length(setintersection(toset(values(aws_subnet.private)[*].cidr_block), toset(["10.10.0.0/20", "10.10.16.0/20"]))) == 2
    error_message = "Private subnet CIDRs are not carved as expected."
  }
  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL" && aws_flow_log.this.log_destination == aws_cloudwatch_log_group.flow_logs.arn && aws_flow_log.this.iam_role_arn == aws_iam_role.flow_logs.arn
    error_message = "Flow logs of all traffic must go to the module's log group."
  }
  assert {
    condition     = aws_cloudwatch_log_group.flow_logs.kms_key_id == module.flow_logs_key[0].key_arn && length(module.flow_logs_key) == 1
    error_message = "The flow log group must be encrypted with a customer managed key (created here when none is given)."
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.flow_logs.policy).Statement[0].Resource == ["${aws_cloudwatch_log_group.flow_logs.arn}:*"]
    error_message = "The flow log role may write only to its log group."
  }
}

run "flow_logs_with_a_given_key" {
  command = apply

  variables {
    flow_logs_kms_key_arn = "arn:aws:kms:eu-west-1:111111111111:key/99999999-2222-3333-4444-555555555555"
  }

  assert {
    condition     = length(module.flow_logs_key) == 0 && aws_cloudwatch_log_group.flow_logs.kms_key_id == var.flow_logs_kms_key_arn
    error_message = "With flow_logs_kms_key_arn, the module uses that key and creates none."
  }
}

run "nat_when_requested" {
  command = apply

  variables {
    enable_nat_gateway = true
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 2 && length(aws_route.private_nat) == 2
    error_message = "One NAT gateway and one default route per AZ expected."
  }
  assert {
    condition     = length(setintersection(toset(values(aws_subnet.public)[*].cidr_block), toset(values(aws_subnet.private)[*].cidr_block))) == 0
    error_message = "Public and private subnets overlap."
  }
}

run "rejects_single_az" {
  command = plan

  variables {
    azs = ["eu-west-1a"]
  }

  expect_failures = [var.azs]
}
