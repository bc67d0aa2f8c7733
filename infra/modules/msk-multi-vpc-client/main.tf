locals {
  # Multi-VPC connectivity exposes the brokers on ports 14001-14100 in the client VPC, whatever the auth method.
  port_from = 14001
  port_to   = 14100
}

resource "aws_security_group" "this" {
  name        = "${var.name}-msk-vpc-connection"
  description = "MSK multi-VPC connection endpoints: broker ports from named clients only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-msk-vpc-connection" })
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = var.allowed_client_security_groups

  security_group_id            = aws_security_group.this.id
  ip_protocol                  = "tcp"
  from_port                    = local.port_from
  to_port                      = local.port_to
  referenced_security_group_id = each.value
  description                  = "Kafka over multi-VPC connectivity from ${each.key}"
}

resource "aws_msk_vpc_connection" "this" {
  authentication     = var.authentication
  target_cluster_arn = var.target_cluster_arn
  vpc_id             = var.vpc_id
  client_subnets     = var.subnet_ids
  security_groups    = [aws_security_group.this.id]
  tags               = var.tags
}

data "aws_msk_bootstrap_brokers" "this" {
  cluster_arn = var.target_cluster_arn

  depends_on = [aws_msk_vpc_connection.this]
}
