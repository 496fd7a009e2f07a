// A NestJS origin with class-validator DTOs, in plain JavaScript: decorators
// are applied with Reflect.decorate, and the ValidationPipe is given the DTO
// (`expectedType`), since nothing here emits `design:paramtypes` metadata.
import "reflect-metadata";
import { Body, ConflictException, Controller, Get, Module, NotFoundException, Param, Post, ValidationPipe } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { Type } from "class-transformer";
import { IsEmail, IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateNested } from "class-validator";

class AddressDto {}
Reflect.decorate([IsString(), MinLength(2)], AddressDto.prototype, "street");

class CreateUserDto {}
Reflect.decorate([IsEmail()], CreateUserDto.prototype, "email");
Reflect.decorate([IsString(), MinLength(8)], CreateUserDto.prototype, "password");
Reflect.decorate([IsOptional(), IsInt(), Min(0), Max(150)], CreateUserDto.prototype, "age");
Reflect.decorate([IsOptional(), ValidateNested(), Type(() => AddressDto)], CreateUserDto.prototype, "address");

class UsersController {
  create(body) {
    if (body.email === "taken@example.com") throw new ConflictException("A user with this email already exists");
    return { id: 1 };
  }

  find(id) {
    throw new NotFoundException(`User ${id} not found`);
  }
}
const proto = UsersController.prototype;
Reflect.decorate([Post()], proto, "create", Object.getOwnPropertyDescriptor(proto, "create"));
Body(new ValidationPipe({ expectedType: CreateUserDto, whitelist: true, forbidNonWhitelisted: true }))(proto, "create", 0);
Reflect.decorate([Get(":id")], proto, "find", Object.getOwnPropertyDescriptor(proto, "find"));
Param("id")(proto, "find", 0);
Reflect.decorate([Controller("users")], UsersController);

class AppModule {}
Reflect.decorate([Module({ controllers: [UsersController] })], AppModule);

export async function startNestOrigin() {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, "127.0.0.1");
  const address = app.getHttpServer().address();
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
