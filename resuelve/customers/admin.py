from django.contrib import admin

from resuelve.customers.models import Branch, Customer, Product, Purchase, Region, Supplier


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "city")
    list_filter = ("region",)
    search_fields = ("name", "city")


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "sku", "supplier", "is_service")
    list_filter = ("supplier", "is_service")
    search_fields = ("name", "sku")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "phone", "tier", "language")
    list_filter = ("tier", "language")
    search_fields = ("name", "email", "phone", "external_ref")


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = ("order_number", "customer", "product", "purchased_on", "amount")
    search_fields = ("order_number",)
    raw_id_fields = ("customer",)
    list_select_related = ("customer", "product")
