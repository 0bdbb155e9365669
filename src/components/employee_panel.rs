//! EMP-1: the signed-in agent's employee information, read-only, on the left.

use leptos::prelude::*;
use pc_model::Employee;

use super::remote::remote;
use crate::api;
use crate::i18n::*;

#[component]
pub fn EmployeePanel() -> impl IntoView {
    let i18n = use_i18n();
    let employee = LocalResource::new(api::employee);
    view! {
        <aside class="employee-panel" aria-labelledby="employee-heading">
            <h2 id="employee-heading">{tr!(i18n, employee.heading)}</h2>
            {remote(employee, |employee| view! { <EmployeeDetails employee/> })}
        </aside>
    }
}

#[component]
pub fn EmployeeDetails(employee: Employee) -> impl IntoView {
    let i18n = use_i18n();
    let manager = match employee.manager {
        Some(name) => name.into_any(),
        None => tr!(i18n, employee.none).into_any(),
    };
    view! {
        <dl class="details" data-testid="employee-details">
            <dt>{tr!(i18n, employee.business_account)}</dt>
            <dd data-field="business_account">{employee.business_account}</dd>
            <dt>{tr!(i18n, employee.username)}</dt>
            <dd data-field="username">{employee.username}</dd>
            <dt>{tr!(i18n, employee.phone)}</dt>
            <dd data-field="phone">{employee.phone}</dd>
            <dt>{tr!(i18n, employee.email)}</dt>
            <dd data-field="email">{employee.email}</dd>
            <dt>{tr!(i18n, employee.position)}</dt>
            <dd data-field="position">{employee.position}</dd>
            <dt>{tr!(i18n, employee.manager)}</dt>
            <dd data-field="manager">{manager}</dd>
        </dl>
    }
}
