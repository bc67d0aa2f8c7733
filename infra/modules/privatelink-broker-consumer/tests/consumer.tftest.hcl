mock_provider "aws" {
  mock_resource "aws_vpc_endpoint" {
    defaults = {
      dns_entry = [{ dns_name = "vpce-0abc-xyz.vpce-svc-0123.eu-west-1.vpce.amazonaws.com", hosted_zone_id = "Z7HUB22UULQXV" }]
    }
  }
}

variables {
  name       = "consumer"
  vpc_id     = "vpc-2"
  subnet_ids = ["subnet-c", "subnet-d"]
  broker_map = {
    "1" = { host = "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com", port = 9096, endpoint_service_name = "com.amazonaws.vpce.eu-west-1.vpce-svc-1" }
    "2" = { host = "b-2.sluice.abc.c2.kafka.eu-west-1.amazonaws.com", port = 9096, endpoint_service_name = "com.amazonaws.vpce.eu-west-1.vpce-svc-2" }
  }
  allowed_client_security_groups = { aggregator = "sg-lambda" }
}

run "endpoints_and_private_zone" {
  command = apply

  assert {
    condition     = length(aws_vpc_endpoint.broker) == 2 && aws_vpc_endpoint.broker["2"].service_name == "com.amazonaws.vpce.eu-west-1.vpce-svc-2"
    error_message = "One interface endpoint per broker service."
  }
  assert {
    condition     = aws_route53_zone.brokers.name == "sluice.abc.c2.kafka.eu-west-1.amazonaws.com" && length(aws_route53_zone.brokers.vpc) == 1
    error_message = "Private hosted zone must cover the brokers' domain in the consumer VPC."
  }
  assert {
    condition     = aws_route53_record.broker["1"].name == "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com" && aws_route53_record.broker["1"].type == "A"
    error_message = "Each broker hostname needs an A alias to its endpoint."
  }
  assert {
    condition     = output.bootstrap_servers == "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9096,b-2.sluice.abc.c2.kafka.eu-west-1.amazonaws.com:9096"
    error_message = "Bootstrap servers must keep the brokers' hostnames and port."
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.clients) == 1 && alltrue([for r in aws_vpc_security_group_ingress_rule.clients : r.referenced_security_group_id == "sg-lambda" && r.from_port == 9096 && r.cidr_ipv4 == null])
    error_message = "Endpoints accept only the named clients on the broker port."
  }
}

run "rejects_empty_map" {
  command = plan
  variables {
    broker_map = {}
  }
  expect_failures = [var.broker_map]
}
