data "aws_partition" "current" {}

locals {
  brokers = toset(var.broker_ids)

  # The secret policy names the consumer accounts and restricts them to the named roles (aws:PrincipalArn).
  account_roots = distinct([for a in var.allowed_principal_arns : "arn:${data.aws_partition.current.partition}:iam::${split(":", a)[4]}:root"])

  principal_pairs = { for pair in setproduct(var.broker_ids, var.allowed_principal_arns) : "${pair[0]}-${pair[1]}" => {
    broker    = pair[0]
    principal = pair[1]
  } }

  broker_map = { for b in var.broker_ids : b => {
    host                  = var.broker_nodes[b].host
    port                  = var.broker_port
    endpoint_service_name = aws_vpc_endpoint_service.broker[b].service_name
  } }
}

# The NLBs only forward to brokers. PrivateLink traffic is not evaluated against the NLB's inbound rules
# (enforcement off): who may connect is decided by the endpoint services' allowed principals.
resource "aws_security_group" "nlb" {
  name        = "${var.name}-broker-nlb"
  description = "Broker NLBs: forward to the brokers on ${var.broker_port} only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-broker-nlb" })
}

resource "aws_vpc_security_group_egress_rule" "nlb_to_brokers" {
  security_group_id            = aws_security_group.nlb.id
  ip_protocol                  = "tcp"
  from_port                    = var.broker_port
  to_port                      = var.broker_port
  referenced_security_group_id = var.msk_security_group_id
  description                  = "NLB to MSK brokers"
}

resource "aws_vpc_security_group_ingress_rule" "brokers_from_nlb" {
  security_group_id            = var.msk_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.broker_port
  to_port                      = var.broker_port
  referenced_security_group_id = aws_security_group.nlb.id
  description                  = "Kafka (TLS) from the broker NLBs"
}

resource "aws_lb" "broker" {
  for_each = local.brokers

  name                                                         = "${var.name}-b${each.key}"
  internal                                                     = true
  load_balancer_type                                           = "network"
  subnets                                                      = var.subnet_ids
  security_groups                                              = [aws_security_group.nlb.id]
  enable_cross_zone_load_balancing                             = true
  enforce_security_group_inbound_rules_on_private_link_traffic = "off"
  tags                                                         = merge(var.tags, { Name = "${var.name}-b${each.key}", BrokerId = each.key })
}

resource "aws_lb_target_group" "broker" {
  for_each = local.brokers

  name        = "${var.name}-b${each.key}"
  port        = var.broker_port
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id

  health_check {
    protocol = "TCP"
    port     = "traffic-port"
  }

  tags = var.tags
}

resource "aws_lb_target_group_attachment" "broker" {
  for_each = local.brokers

  target_group_arn = aws_lb_target_group.broker[each.key].arn
  target_id        = var.broker_nodes[each.key].ip
  port             = var.broker_port
}

# TCP pass-through: TLS is end to end between client and broker, so the broker hostnames must resolve
# (in the consumer VPC) to the endpoint of the matching broker service.
resource "aws_lb_listener" "broker" {
  for_each = local.brokers

  load_balancer_arn = aws_lb.broker[each.key].arn
  port              = var.broker_port
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.broker[each.key].arn
  }
}

resource "aws_vpc_endpoint_service" "broker" {
  for_each = local.brokers

  acceptance_required        = var.acceptance_required
  network_load_balancer_arns = [aws_lb.broker[each.key].arn]
  tags                       = merge(var.tags, { Name = "${var.name}-b${each.key}", BrokerId = each.key })
}

resource "aws_vpc_endpoint_service_allowed_principal" "consumer" {
  for_each = local.principal_pairs

  vpc_endpoint_service_id = aws_vpc_endpoint_service.broker[each.value.broker].id
  principal_arn           = each.value.principal
}

# Broker map: broker id -> host, port, endpoint service name. Not a credential, but shared the same way
# credentials would be: encrypted with the CMK, readable by the consumer accounts through a resource policy.
resource "aws_secretsmanager_secret" "broker_map" {
  name        = var.broker_map_secret_name
  description = "Sluice MSK broker map for PrivateLink consumers"
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "broker_map" {
  secret_id     = aws_secretsmanager_secret.broker_map.id
  secret_string = jsonencode(local.broker_map)
}

resource "aws_secretsmanager_secret_policy" "broker_map" {
  secret_arn = aws_secretsmanager_secret.broker_map.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ConsumerRolesRead"
      Effect    = "Allow"
      Principal = { AWS = local.account_roots }
      Action    = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      Resource  = "*"
      Condition = { ArnEquals = { "aws:PrincipalArn" = var.allowed_principal_arns } }
    }]
  })
}
