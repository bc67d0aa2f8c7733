mock_provider "aws" {}

variables {
  name                   = "sluice"
  vpc_id                 = "vpc-b"
  subnet_ids             = ["subnet-a", "subnet-b"]
  service_name           = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  client_security_groups = { connect = "sg-connect" }
}

run "endpoint_with_private_dns_and_8443_only" {
  command = apply

  assert {
    condition     = aws_vpc_endpoint.this.private_dns_enabled && aws_vpc_endpoint.this.vpc_endpoint_type == "Interface" && aws_vpc_endpoint.this.service_name == var.service_name
    error_message = "Interface endpoint with private DNS to the ClickHouse service expected."
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.clients) == 1 && alltrue([for r in aws_vpc_security_group_ingress_rule.clients : r.from_port == 8443 && r.to_port == 8443 && r.ip_protocol == "tcp" && r.referenced_security_group_id == "sg-connect" && r.cidr_ipv4 == null])
    error_message = "Exactly TCP 8443 from the Connect security group."
  }
}

run "rejects_non_endpoint_service" {
  command = plan
  variables {
    service_name = "abc.clickhouse.cloud"
  }
  expect_failures = [var.service_name]
}

run "requires_a_client" {
  command = plan
  variables {
    client_security_groups = {}
  }
  expect_failures = [var.client_security_groups]
}
