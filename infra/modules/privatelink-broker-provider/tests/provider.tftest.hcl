mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_lb" {
    defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/sluice/0123456789abcdef" }
  }
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/sluice/0123456789abcdef" }
  }
  mock_resource "aws_vpc_endpoint_service" {
    defaults = { service_name = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice/broker-map-AbCdEf" }
  }
}

variables {
  name                   = "sluice"
  vpc_id                 = "vpc-1"
  subnet_ids             = ["subnet-a", "subnet-b"]
  broker_ids             = ["1", "2"]
  broker_port            = 9096
  msk_security_group_id  = "sg-msk"
  allowed_principal_arns = ["arn:aws:iam::222222222222:role/sluice-consumer-deploy"]
  kms_key_arn            = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  broker_map_secret_name = "sluice/broker-map"
  broker_nodes = {
    "1" = { host = "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com", ip = "10.20.0.10" }
    "2" = { host = "b-2.sluice.abc.c2.kafka.eu-west-1.amazonaws.com", ip = "10.20.16.10" }
  }
}

run "one_nlb_and_service_per_broker" {
  command = apply

  assert {
    condition     = length(aws_lb.broker) == 2 && length(aws_vpc_endpoint_service.broker) == 2 && length(aws_lb_listener.broker) == 2
    error_message = "One NLB, listener and endpoint service per broker."
  }
  assert {
    condition     = alltrue([for l in aws_lb.broker : l.internal && l.load_balancer_type == "network"])
    error_message = "NLBs must be internal network load balancers."
  }
  assert {
    condition     = aws_lb_target_group_attachment.broker["2"].target_id == "10.20.16.10" && aws_lb_target_group_attachment.broker["2"].port == 9096
    error_message = "Each NLB must target exactly its broker on the broker port."
  }
  assert {
    condition     = alltrue([for l in aws_lb_listener.broker : l.port == 9096 && l.protocol == "TCP"])
    error_message = "Listeners must pass TLS through on the broker port."
  }
  assert {
    condition     = alltrue([for p in aws_vpc_endpoint_service_allowed_principal.consumer : p.principal_arn == "arn:aws:iam::222222222222:role/sluice-consumer-deploy"]) && length(aws_vpc_endpoint_service_allowed_principal.consumer) == 2 && alltrue([for s in aws_vpc_endpoint_service.broker : s.acceptance_required])
    error_message = "Only the consumer's named role may connect, on every broker service, and each connection needs acceptance."
  }
  assert {
    condition     = jsondecode(aws_secretsmanager_secret_version.broker_map.secret_string)["1"].host == "b-1.sluice.abc.c2.kafka.eu-west-1.amazonaws.com" && jsondecode(aws_secretsmanager_secret_version.broker_map.secret_string)["1"].port == 9096 && startswith(jsondecode(aws_secretsmanager_secret_version.broker_map.secret_string)["2"].endpoint_service_name, "com.amazonaws.vpce.")
    error_message = "Broker map must hold host, port and endpoint service name per broker."
  }
  assert {
    condition     = aws_secretsmanager_secret.broker_map.kms_key_id == var.kms_key_arn
    error_message = "Broker map secret must be encrypted with the CMK."
  }
  assert {
    condition     = jsondecode(aws_secretsmanager_secret_policy.broker_map.policy).Statement[0].Principal.AWS == ["arn:aws:iam::222222222222:root"] && jsondecode(aws_secretsmanager_secret_policy.broker_map.policy).Statement[0].Condition.ArnEquals["aws:PrincipalArn"] == ["arn:aws:iam::222222222222:role/sluice-consumer-deploy"] && jsondecode(aws_secretsmanager_secret_policy.broker_map.policy).Statement[0].Action == ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    error_message = "Secret policy must share read-only with the consumer account."
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.nlb_to_brokers.referenced_security_group_id == "sg-msk" && aws_vpc_security_group_egress_rule.nlb_to_brokers.from_port == 9096 && aws_vpc_security_group_ingress_rule.brokers_from_nlb.referenced_security_group_id == aws_security_group.nlb.id
    error_message = "NLB may only reach the brokers on the broker port, and brokers accept only the NLB."
  }
}

run "rejects_plaintext_port" {
  command = plan
  variables {
    broker_port = 9092
  }
  expect_failures = [var.broker_port]
}
