locals {
  tgw_id = var.create_transit_gateway ? aws_ec2_transit_gateway.this[0].id : var.transit_gateway_id

  routes = { for pair in setproduct(range(length(var.route_table_ids)), keys(var.destination_cidrs)) : "${pair[0]}-${pair[1]}" => {
    route_table_id = var.route_table_ids[pair[0]]
    cidr           = var.destination_cidrs[pair[1]]
  } }
}

resource "aws_ec2_transit_gateway" "this" {
  count = var.create_transit_gateway ? 1 : 0

  description                     = "Sluice ${var.name}"
  auto_accept_shared_attachments  = var.auto_accept_shared_attachments ? "enable" : "disable"
  default_route_table_association = "enable"
  default_route_table_propagation = "enable"
  dns_support                     = "enable"
  tags                            = merge(var.tags, { Name = var.name })

  lifecycle {
    precondition {
      condition     = var.transit_gateway_id == null
      error_message = "Set either create_transit_gateway or transit_gateway_id, not both."
    }
  }
}

resource "aws_ram_resource_share" "this" {
  count = var.create_transit_gateway && length(var.share_with_account_ids) > 0 ? 1 : 0

  name                      = "${var.name}-tgw"
  allow_external_principals = true
  tags                      = var.tags
}

resource "aws_ram_resource_association" "this" {
  count = length(aws_ram_resource_share.this)

  resource_arn       = aws_ec2_transit_gateway.this[0].arn
  resource_share_arn = aws_ram_resource_share.this[0].arn
}

resource "aws_ram_principal_association" "this" {
  for_each = length(aws_ram_resource_share.this) > 0 ? toset(var.share_with_account_ids) : toset([])

  principal          = each.value
  resource_share_arn = aws_ram_resource_share.this[0].arn
}

# Hub account: accept the spoke attachments that were reviewed (auto-accept is off by default).
resource "aws_ec2_transit_gateway_vpc_attachment_accepter" "spoke" {
  for_each = toset(var.accept_attachment_ids)

  transit_gateway_attachment_id = each.value
  tags                          = merge(var.tags, { Name = "${var.name}-spoke" })
}

resource "aws_ram_resource_share_accepter" "this" {
  count = var.resource_share_arn_to_accept == null ? 0 : 1

  share_arn = var.resource_share_arn_to_accept
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  transit_gateway_id = local.tgw_id
  vpc_id             = var.vpc_id
  subnet_ids         = var.subnet_ids
  dns_support        = "enable"
  tags               = merge(var.tags, { Name = var.name })

  lifecycle {
    precondition {
      condition     = local.tgw_id != null
      error_message = "transit_gateway_id is required when create_transit_gateway is false."
    }
  }

  depends_on = [aws_ram_resource_share_accepter.this]
}

resource "aws_route" "remote" {
  for_each = local.routes

  route_table_id         = each.value.route_table_id
  destination_cidr_block = each.value.cidr
  transit_gateway_id     = local.tgw_id

  depends_on = [aws_ec2_transit_gateway_vpc_attachment.this]
}
