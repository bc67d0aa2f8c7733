locals {
  # ClickHouse Cloud's HTTPS interface. The native protocol (9440) is deliberately not opened.
  https_port = 8443
}

resource "aws_security_group" "this" {
  name        = "${var.name}-clickhouse-endpoint"
  description = "ClickHouse Cloud PrivateLink endpoint: HTTPS 8443 from Kafka Connect only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-clickhouse-endpoint" })
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = var.client_security_groups

  security_group_id            = aws_security_group.this.id
  ip_protocol                  = "tcp"
  from_port                    = local.https_port
  to_port                      = local.https_port
  referenced_security_group_id = each.value
  description                  = "ClickHouse HTTPS from ${each.key}"
}

resource "aws_vpc_endpoint" "this" {
  vpc_id              = var.vpc_id
  service_name        = var.service_name
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = [aws_security_group.this.id]
  private_dns_enabled = true

  tags = merge(var.tags, { Name = "${var.name}-clickhouse" })
}
