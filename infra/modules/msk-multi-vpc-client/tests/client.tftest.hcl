mock_provider "aws" {
  mock_data "aws_msk_bootstrap_brokers" {
    defaults = {
      bootstrap_brokers_vpc_connectivity_sasl_iam = "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:14001"
    }
  }
}

variables {
  name                           = "consumer"
  target_cluster_arn             = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
  vpc_id                         = "vpc-222"
  subnet_ids                     = ["subnet-a", "subnet-b"]
  allowed_client_security_groups = { lambda = "sg-lambda" }
}

run "connection_and_scoped_sg" {
  command = apply

  assert {
    condition     = aws_msk_vpc_connection.this.authentication == "SASL_IAM" && aws_msk_vpc_connection.this.target_cluster_arn == var.target_cluster_arn
    error_message = "VPC connection to the owner's cluster with IAM expected."
  }
  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.clients : r.referenced_security_group_id != null && r.cidr_ipv4 == null && r.from_port == 14001 && r.to_port == 14100])
    error_message = "Only named client security groups on 14001-14100."
  }
  assert {
    condition     = output.bootstrap_brokers == "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:14001"
    error_message = "Bootstrap brokers for the chosen auth expected."
  }
}

run "rejects_unknown_auth" {
  command = plan
  variables {
    authentication = "PLAINTEXT"
  }
  expect_failures = [var.authentication]
}
