"""Permission names (titles) of getpaid.orders; ids are in permissions.zcml."""

ManageOrders = "getpaid.orders: Manage orders"
RecordPayments = "getpaid.orders: Record payments"
CancelOrder = "getpaid.orders: Cancel order"
AddOrder = "getpaid.orders: Add Order"
AddPayment = "getpaid.orders: Add Payment"
AddProduct = "getpaid.orders: Add Product"

# Roles shipped by the add-on (rolemap.xml).
SHOP_MANAGER_ROLE = "Shop Manager"
# Who sees the shop's own records: the orders folder, payment records.
STAFF_ROLES = ("Manager", "Site Administrator", SHOP_MANAGER_ROLE)
# Adopted by the domain layer when the payment system or the sweeper acts:
# it holds just what those need, not Manager's everything.
PAYMENT_PROCESSOR_ROLE = "Payment Processor"
