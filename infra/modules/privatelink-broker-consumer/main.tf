locals {
  ports = toset([for b in values(var.broker_map) : b.port])

  # b-1.<cluster>.<id>.c2.kafka.<region>.amazonaws.com -> <cluster>.<id>.c2.kafka.<region>.amazonaws.com
  first_host = values(var.broker_map)[0].host
  zone_name  = join(".", slice(split(".", local.first_host), 1, length(split(".", local.first_host))))

  ingress_rules = { for pair in setproduct(keys(var.allowed_client_security_groups), local.ports) : "${pair[0]}-${pair[1]}" => {
    sg   = var.allowed_client_security_groups[pair[0]]
    port = pair[1]
  } }
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name}-broker-endpoints"
  description = "Broker interface endpoints: Kafka TLS ports from named clients only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-broker-endpoints" })
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = local.ingress_rules

  security_group_id            = aws_security_group.endpoints.id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.sg
  description                  = "Kafka (TLS) from ${each.key}"
}

resource "aws_vpc_endpoint" "broker" {
  for_each = var.broker_map

  vpc_id              = var.vpc_id
  service_name        = each.value.endpoint_service_name
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = false

  tags = merge(var.tags, { Name = "${var.name}-b${each.key}", BrokerId = each.key })
}

# The brokers' own hostnames resolve, inside this VPC only, to the endpoint of the matching broker service.
resource "aws_route53_zone" "brokers" {
  name    = local.zone_name
  comment = "Sluice: MSK broker hostnames via PrivateLink"

  vpc {
    vpc_id = var.vpc_id
  }

  tags = var.tags
}

resource "aws_route53_record" "broker" {
  for_each = var.broker_map

  zone_id = aws_route53_zone.brokers.zone_id
  name    = each.value.host
  type    = "A"

  alias {
    name                   = aws_vpc_endpoint.broker[each.key].dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.broker[each.key].dns_entry[0].hosted_zone_id
    evaluate_target_health = true
  }
}
